// What to try next when a lookup finds nothing, in the words of the edge that
// asked: Slack names its commands, the REST API its paths. The lookups stay
// the same for every edge; only these sentences differ.
export interface LookupHints {
  /** After "no such milestone": where to see the milestones there are. */
  listMilestones?: string;
  /** After "no such project" in a workspace without projects: how to create one. */
  createProject?: (key: string) => string;
  /** After a milestone name that several projects have: how to say which one. */
  pickProject?: string;
  /** After "no such API key": where to see the keys' ids. */
  listApiKeys?: string;
}

/** One message from its sentences, leaving out the ones that are empty. */
export function sentences(...parts: (string | null | undefined)[]): string {
  return parts.filter((p): p is string => Boolean(p)).join(' ');
}
