// Milestone names are unique per project regardless of case. The name key is
// the one form they are stored, compared and looked up by, on every edge.
export function milestoneNameKey(name: string): string {
  return name.trim().normalize('NFC').toLocaleLowerCase('en-US');
}
