import { EmptyState } from '../../components/states';

// The WORKING.md view arrives with the working-state contract (packages/contracts); until then the page says so.
export default function WorkingStatePage() {
  return (
    <div className="flex flex-col gap-4">
      <h1 className="text-3xl font-black uppercase">WORKING.md</h1>
      <EmptyState title="Not available on this server yet">The shared state file appears here once the server offers it.</EmptyState>
    </div>
  );
}
