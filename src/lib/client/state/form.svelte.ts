// One submit pattern for every form: busy while the request runs, the error kept for FormError,
// the native submit prevented (style.md habit 10: one error funnel in the UI).
export class FormState {
  busy = $state(false);
  error = $state<unknown>(null);

  /** Returns a submit handler that runs `action`, catching its error for display. */
  submit(action: () => Promise<unknown>) {
    return async (event?: Event) => {
      event?.preventDefault();
      if (this.busy) return;
      this.busy = true;
      this.error = null;
      try {
        await action();
      } catch (e) {
        this.error = e;
      } finally {
        this.busy = false;
      }
    };
  }

  fail(message: string) {
    this.error = new Error(message);
  }
}
