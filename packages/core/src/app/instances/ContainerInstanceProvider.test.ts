import { container as rootContainer, inject, injectable } from 'tsyringe';
import { InstantiationError } from '../../errors/InstantiationError';
import { ContainerInstanceProvider } from './ContainerInstanceProvider';

describe('ContainerInstanceProvider', () => {
  it('builds a class once through its container, injecting constructor services', () => {
    const container = rootContainer.createChildContainer();
    container.register('greeting', { useValue: 'hei' });
    let built = 0;
    @injectable()
    class Jobs {
      constructor(@inject('greeting') readonly greeting: string) {
        built++;
      }
    }
    const instances = new ContainerInstanceProvider(container);
    const first = instances.get(Jobs);
    expect(first.greeting).toBe('hei');
    expect(instances.get(Jobs)).toBe(first);
    expect(built).toBe(1);
  });

  it('keeps one instance per provider, so two apps do not share one', () => {
    class Jobs {}
    const container = rootContainer.createChildContainer();
    expect(new ContainerInstanceProvider(container).get(Jobs)).not.toBe(
      new ContainerInstanceProvider(container).get(Jobs),
    );
  });

  it('wraps a failure to build in an InstantiationError with the cause, and tries again next time', () => {
    let fail = true;
    class Flaky {
      constructor() {
        if (fail) throw new Error('not yet');
      }
    }
    const instances = new ContainerInstanceProvider(rootContainer.createChildContainer());
    let error: unknown;
    try {
      instances.get(Flaky);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InstantiationError);
    expect((error as Error).message).toContain('Cannot build class Flaky');
    expect(((error as Error).cause as Error).message).toContain('not yet');
    fail = false;
    expect(instances.get(Flaky)).toBeInstanceOf(Flaky);
  });
});
