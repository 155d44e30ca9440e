/**
 * An error caused by the user's input (a model, a board file, a flag). The CLI prints its
 * message as one line and exits with code 2; anything else is a bug in tinygen.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}
