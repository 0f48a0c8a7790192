// A value fetched once per provider process (role names, existing users) and shared by every
// caller; a failed fetch is forgotten so the next caller tries again instead of reusing the error.
export class Lazy<T> {
  private pending?: Promise<T>;

  constructor(private readonly fetch: () => Promise<T>) {}

  get(): Promise<T> {
    this.pending ??= this.fetch();
    return this.pending.catch((err: unknown) => {
      this.pending = undefined;
      throw err;
    });
  }
}
