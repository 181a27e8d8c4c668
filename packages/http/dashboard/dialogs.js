// Modal dialogs: the token prompt, confirmations, the "run now" parameter editor, the backfill range.

/** Opens `dialog` and resolves with the value of the button that closed it ('' on Escape). */
function open(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = '';
    dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true });
    dialog.showModal();
  });
}

/** Asks for the token; `message` says why (none yet, or the last one was refused). */
export async function askToken(message) {
  const dialog = document.getElementById('token-dialog');
  const input = document.getElementById('token-input');
  document.getElementById('token-message').textContent = message;
  input.value = '';
  for (;;) {
    await open(dialog);
    if (input.value !== '') return input.value;
  }
}

/** Resolves true when the user confirms `message`. */
export async function confirmAction(message, label) {
  document.getElementById('confirm-message').textContent = message;
  document.getElementById('confirm-ok').textContent = label;
  return (await open(document.getElementById('confirm-dialog'))) === 'ok';
}

/**
 * What is wrong with `text` as batch parameters, or undefined when it is a JSON object. JSON.parse
 * names the position of a syntax error; the line and column are added, which is what an editor shows.
 */
export function paramsProblem(text) {
  let value;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const at = /position (\d+)/.exec(error.message);
    if (at === null || /line \d+/.test(error.message)) return error.message;
    const before = text.slice(0, Number(at[1])).split('\n');
    return `${error.message} (line ${before.length}, column ${before[before.length - 1].length + 1})`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    return `Batch parameters must be a JSON object such as {"user": "ada"}, not ${value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`}.`;
  return undefined;
}

/** Asks for the batch parameters of a run of `task`; resolves with them, or undefined if cancelled. */
export async function askRunParameters(task, initial) {
  const dialog = document.getElementById('run-dialog');
  const area = document.getElementById('run-params');
  const problem = document.getElementById('run-problem');
  const ok = document.getElementById('run-ok');
  const format = document.getElementById('run-format');
  document.getElementById('run-title').textContent = `Run "${task}" now`;
  area.value = initial;
  const check = () => {
    const found = paramsProblem(area.value);
    problem.textContent = found ?? '';
    ok.disabled = found !== undefined;
    area.setAttribute('aria-invalid', String(found !== undefined));
  };
  const tidy = () => {
    if (paramsProblem(area.value) === undefined) area.value = JSON.stringify(JSON.parse(area.value), null, 2);
  };
  area.addEventListener('input', check);
  format.addEventListener('click', tidy);
  check();
  try {
    return (await open(dialog)) === 'ok' && paramsProblem(area.value) === undefined
      ? JSON.parse(area.value)
      : undefined;
  } finally {
    area.removeEventListener('input', check);
    format.removeEventListener('click', tidy);
  }
}

/** A `datetime-local` value (the browser's time zone) for `date`, to the second. */
function localInput(date) {
  const local = new Date(date.getTime() - date.getTimezoneOffset() * 60_000);
  return local.toISOString().slice(0, 19);
}

/**
 * Asks for the range of a backfill of `task` (default: the last 24 hours) and for confirmation;
 * resolves with `{ from, to }` as ISO dates, or undefined if cancelled.
 */
export async function askBackfillRange(task) {
  const dialog = document.getElementById('backfill-dialog');
  const from = document.getElementById('backfill-from');
  const to = document.getElementById('backfill-to');
  const problem = document.getElementById('backfill-problem');
  const ok = document.getElementById('backfill-ok');
  document.getElementById('backfill-title').textContent = `Backfill "${task}"`;
  const now = new Date();
  from.value = localInput(new Date(now.getTime() - 24 * 3_600_000));
  to.value = localInput(now);
  const check = () => {
    const start = new Date(from.value).getTime();
    const end = new Date(to.value).getTime();
    const found =
      Number.isNaN(start) || Number.isNaN(end)
        ? 'Give both times.'
        : start >= end
          ? 'The first time must come before the second.'
          : end > Date.now()
            ? 'The second time may not be in the future: a backfill runs instants that passed.'
            : undefined;
    problem.textContent = found ?? '';
    ok.disabled = found !== undefined;
  };
  from.addEventListener('input', check);
  to.addEventListener('input', check);
  check();
  try {
    if ((await open(dialog)) !== 'ok' || ok.disabled) return undefined;
    return { from: new Date(from.value).toISOString(), to: new Date(to.value).toISOString() };
  } finally {
    from.removeEventListener('input', check);
    to.removeEventListener('input', check);
  }
}

let toastTimer;
/** A short message at the bottom of the page. */
export function toast(message, isError = false) {
  const node = document.getElementById('toast');
  node.textContent = message;
  node.classList.toggle('error', isError);
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => (node.hidden = true), isError ? 8000 : 4000);
}
