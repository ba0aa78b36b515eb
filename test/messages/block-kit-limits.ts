// Checks a Block Kit surface against Slack's published size limits; returns the
// violations (empty when it would be accepted).
export function limitViolations(surface: { blocks?: unknown[]; title?: { text: string } }, maxBlocks: number): string[] {
  const problems: string[] = [];
  const blocks = (surface.blocks ?? []) as Record<string, any>[];
  if (blocks.length > maxBlocks) problems.push(`${blocks.length} blocks > ${maxBlocks}`);
  if (surface.title && surface.title.text.length > 24) problems.push(`modal title ${surface.title.text.length} > 24`);
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
  });
  return problems;
}
