/** The one event of a request, for kinds that send one event per request (no `batch`). */
export const singleEvent = <T>(items: readonly { event: T }[], kindLabel: string): T => {
  const [first] = items;
  if (!first || items.length !== 1) throw new Error(`A ${kindLabel} request carries one event (${items.length} given)`);
  return first.event;
};
