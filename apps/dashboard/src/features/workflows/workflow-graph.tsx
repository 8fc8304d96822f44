import type { WorkflowStepStatus } from '@mission-control/contracts';
import { Background, Controls, type Edge, MarkerType, type Node, ReactFlow } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { type CSSProperties, useMemo } from 'react';
import { type LayoutStep, layoutWorkflow, nodeHeight, nodeWidth } from './dag-layout';
import { statusColors, stepKindLabel, stepStatusLabel } from './workflow-words';

// React Flow's own colours follow the app's theme variables, so the controls and labels stay readable in dark mode.
const themed = {
  '--xy-controls-button-background-color': 'var(--color-paper)',
  '--xy-controls-button-background-color-hover': 'var(--color-paper-alt)',
  '--xy-controls-button-color': 'var(--color-ink)',
  '--xy-controls-button-color-hover': 'var(--color-ink)',
  '--xy-controls-button-border-color': 'var(--color-ink)',
  '--xy-edge-label-background-color': 'var(--color-paper)',
  '--xy-edge-label-color': 'var(--color-ink)',
  '--xy-background-pattern-color': 'var(--color-ink-muted)',
} as CSSProperties;

interface WorkflowGraphProps {
  steps: readonly LayoutStep[];
  /** A run's step statuses: each node is coloured by its own. */
  statuses?: Map<string, WorkflowStepStatus> | undefined;
  label: string;
}

/**
 * The definition as a DAG (`@xyflow/react`, laid out by `layoutWorkflow`). It is a picture to
 * look at, pan and zoom: nodes are not focusable or draggable, and the same steps are listed in
 * words next to it for screen readers and small screens.
 */
export function WorkflowGraph({ steps, statuses, label }: WorkflowGraphProps) {
  const { nodes, edges } = useMemo(() => {
    const layout = layoutWorkflow(steps);
    const flowNodes: Node[] = layout.nodes.map((node) => {
      const status = statuses?.get(node.id);
      return {
        id: node.id,
        position: { x: node.x, y: node.y },
        data: {
          label: (
            <span className="flex flex-col items-start text-left" data-step={node.id} data-status={status ?? 'none'}>
              <span className="font-black">{node.step.name ?? node.step.id}</span>
              <span className="font-mono text-[0.65rem] uppercase">
                {stepKindLabel[node.step.kind] ?? node.step.kind}
                {status ? ` · ${stepStatusLabel[status]}` : ''}
              </span>
            </span>
          ),
        },
        style: {
          width: nodeWidth,
          height: nodeHeight,
          borderRadius: 0,
          border: '2px solid var(--color-ink)',
          padding: 6,
          ...statusColors[status ?? 'pending'],
        },
        draggable: false,
        connectable: false,
        selectable: false,
        focusable: false,
      };
    });
    const flowEdges: Edge[] = layout.edges.map((edge) => ({
      id: edge.id,
      source: edge.source,
      target: edge.target,
      label: edge.label || undefined,
      focusable: false,
      markerEnd: { type: MarkerType.ArrowClosed, color: 'var(--color-ink)' },
      style: { stroke: 'var(--color-ink)', strokeWidth: 2, ...(edge.label === 'else' ? { strokeDasharray: '6 4' } : {}) },
      labelStyle: { fontFamily: 'monospace', fontWeight: 700 },
    }));
    return { nodes: flowNodes, edges: flowEdges };
  }, [steps, statuses]);

  return (
    <figure className="flex flex-col gap-1">
      <div className="h-80 w-full border-[3px] border-ink bg-paper-alt sm:h-[28rem]" data-testid="workflow-graph">
        <ReactFlow
          nodes={nodes}
          edges={edges}
          fitView
          nodesDraggable={false}
          nodesConnectable={false}
          nodesFocusable={false}
          edgesFocusable={false}
          elementsSelectable={false}
          zoomOnScroll={false}
          preventScrolling={false}
          minZoom={0.2}
          proOptions={{ hideAttribution: true }}
          style={themed}
        >
          <Background />
          <Controls showInteractive={false} />
        </ReactFlow>
      </div>
      <figcaption className="font-mono text-xs text-ink-muted">{label}</figcaption>
    </figure>
  );
}

export default WorkflowGraph;
