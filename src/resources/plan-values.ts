// Values kinds put into what the plan shows, defined here so that resources/ needs nothing from
// plan/ (plan/types.ts re-exports them; the dependency runs one way, plan → resources).

/** What a field shows in the plan while its value comes from a resource not yet applied. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

/** Something only a person can do, e.g. delegate the domain at the registrar. */
export interface OperatorAction {
  id: string;
  summary: string;
  detail?: string;
  done?: boolean;
}
