import * as DropdownMenu from '@radix-ui/react-dropdown-menu';
import { useLogout, useSession } from '../auth/use-session';
import { AccountButton } from './account-button';
import { ThemeSwitch } from './theme-switch';

/** The person's menu: who they are, the theme, sign out. */
export default function AccountMenu({ defaultOpen = false }: { defaultOpen?: boolean }) {
  const session = useSession();
  const logout = useLogout();
  return (
    <DropdownMenu.Root defaultOpen={defaultOpen}>
      <DropdownMenu.Trigger asChild>
        <AccountButton name={session?.user.name} />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content
          align="end"
          sideOffset={6}
          className="z-40 min-w-56 border-[3px] border-ink bg-paper p-2 text-ink shadow-[6px_6px_0_0_var(--color-ink)]"
        >
          <DropdownMenu.Label className="px-2 font-mono text-xs">
            {session?.user.email} · {session?.role}
          </DropdownMenu.Label>
          <div className="px-2 py-2">
            <ThemeSwitch />
          </div>
          <DropdownMenu.Separator className="my-1 h-[3px] bg-ink" />
          <DropdownMenu.Item
            className="cursor-pointer px-2 py-1 font-bold uppercase outline-none data-[highlighted]:bg-ink data-[highlighted]:text-paper"
            onSelect={() => void logout()}
          >
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
