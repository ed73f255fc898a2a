/** A problem the user can fix (bad config, missing root, corrupt baseline): one line, exit code 2. */
export class ConfigError extends Error {
  constructor(
    message: string,
    /** The file at fault, as the user would type it. */
    readonly file?: string,
    /** The key at fault, as a path such as `groups[0].ssot.module`. */
    readonly key?: string,
    /** What to do next. */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ConfigError';
  }

  /** `file: key: message (hint)` */
  format(): string {
    const where = [this.file, this.key].filter(Boolean).join(': ');
    return `${where ? `${where}: ` : ''}${this.message}${this.hint ? `\n  ${this.hint}` : ''}`;
  }
}
