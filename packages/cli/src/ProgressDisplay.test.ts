import { ProgressDisplay, progressBar } from './ProgressDisplay';
import { useFakeClock } from '@apogee/test-utils';

useFakeClock(0);

describe('ProgressDisplay', () => {
  it('draws a bar from 0 to 100%', () => {
    expect(progressBar(0)).toBe('[------------------------]   0%');
    expect(progressBar(0.5)).toBe('[############------------]  50%');
    expect(progressBar(1)).toBe('[########################] 100%');
  });

  it('on a terminal, shows the time elapsed every second until progress comes, then the bar', () => {
    const drawn: string[] = [];
    const display = new ProgressDisplay({ line: () => undefined, status: (t) => drawn.push(t) }, 'import r1');
    jest.advanceTimersByTime(2000);
    expect(drawn).toEqual([
      'import r1 running, 0.0 s',
      'import r1 running, 1.0 s',
      'import r1 running, 2.0 s',
    ]);
    display.progress(0.25, 'file 1 of 4');
    expect(drawn.at(-1)).toBe('import r1 [######------------------]  25% file 1 of 4 (2.0 s)');
    jest.advanceTimersByTime(500);
    expect(display.stop()).toBe('2.5 s');
    expect(drawn.at(-1)).toBe('');
    jest.advanceTimersByTime(5000);
    expect(drawn.at(-1)).toBe('');
  });

  it('elsewhere, writes a line per report whose text changed and nothing for the time', () => {
    const lines: string[] = [];
    const display = new ProgressDisplay({ line: (l) => lines.push(l) }, 'import r1');
    jest.advanceTimersByTime(3000);
    display.progress(0.5, 'half');
    display.progress(0.5, 'half');
    display.progress(1);
    display.stop();
    expect(lines).toEqual([
      'import r1 [############------------]  50% half',
      'import r1 [########################] 100%',
    ]);
  });
});
