import { execFileSync } from 'node:child_process';
import { tempProject } from './temp-project.js';

/** A real git repository in a temp folder, with the given files committed. */
export function gitRepo(files: Record<string, string | object>): { root: string; git: (...args: string[]) => string; commit: (message: string) => void } {
  const root = tempProject(files, 'ssot-git-');
  const git = (...args: string[]): string =>
    execFileSync('git', ['-c', 'user.email=test@example.com', '-c', 'user.name=test', '-c', 'init.defaultBranch=main', ...args], { cwd: root, encoding: 'utf8' });
  git('init', '-q');
  const commit = (message: string): void => {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', message);
  };
  commit('initial');
  return { root, git, commit };
}
