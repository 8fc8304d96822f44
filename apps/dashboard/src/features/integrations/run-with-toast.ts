import { describeError } from '../../lib/describe-error';
import { showToast } from '../../lib/toasts';

/** Runs a button's action and says how it went in a toast; answers the result, or undefined when it failed. */
export async function runWithToast<Result>(action: () => Promise<Result>, done: (result: Result) => string): Promise<Result | undefined> {
  try {
    const result = await action();
    showToast(done(result), 'success');
    return result;
  } catch (failure) {
    showToast(describeError(failure), 'error');
    return undefined;
  }
}
