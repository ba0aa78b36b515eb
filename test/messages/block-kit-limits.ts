// Checks a Block Kit surface against Slack's published size limits; returns the
// violations (empty when it would be accepted).
export function limitViolations(surface: { blocks?: unknown[]; title?: { text: string } }, maxBlocks: number): string[] {
  const problems: string[] = [];
  const blocks = (surface.blocks ?? []) as Record<string, any>[];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  if (surface.title && surface.title.text.length > 24) problems.push(`modal title ${surface.title.text.length} > 24`);
  const metadata = (surface as { private_metadata?: string }).private_metadata;
  if (metadata && metadata.length > 3000) problems.push(`private_metadata ${metadata.length} > 3000`);
  blocks.forEach((b, i) => {
    if (b.type === 'header' && b.text.text.length > 150) problems.push(`block ${i}: header ${b.text.text.length} > 150`);
    if (b.type === 'section') {
      if (b.text && b.text.text.length > 3000) problems.push(`block ${i}: section text ${b.text.text.length} > 3000`);
      if (b.fields && b.fields.length > 10) problems.push(`block ${i}: ${b.fields.length} fields > 10`);
      for (const f of b.fields ?? []) if (f.text.length > 2000) problems.push(`block ${i}: field ${f.text.length} > 2000`);
      if (!b.text && !b.fields) problems.push(`block ${i}: section without text or fields`);
    }
    if (b.type === 'context' && b.elements.length > 10) problems.push(`block ${i}: context with ${b.elements.length} elements`);
    if (b.type === 'actions' && b.elements.length > 25) problems.push(`block ${i}: ${b.elements.length} actions`);
    const buttons = [b.accessory, ...(b.type === 'actions' ? b.elements : [])].filter((e) => e?.type === 'button');
    for (const btn of buttons) if (btn.text.text.length > 75) problems.push(`block ${i}: button text > 75`);
    if (b.type === 'input' && b.label.text.length > 2000) problems.push(`block ${i}: label > 2000`);
    if (b.type === 'context') for (const e of b.elements) if (e.text?.length > 3000) problems.push(`block ${i}: context text > 3000`);
    const element = b.type === 'input' ? b.element : undefined;
    for (const o of element?.options ?? []) if (o.text.text.length > 75) problems.push(`block ${i}: option text > 75`);
    if (element?.options?.length > 100) problems.push(`block ${i}: more than 100 options`);
    if (element?.placeholder?.text.length > 150) problems.push(`block ${i}: placeholder > 150`);
    const initial = element?.initial_value as string | undefined;
    if (initial !== undefined && initial.length > Math.min(3000, element.max_length ?? 3000))
      problems.push(`block ${i}: initial value ${initial.length} > max_length ${element.max_length ?? 3000}`);
  });
  return problems;
}
