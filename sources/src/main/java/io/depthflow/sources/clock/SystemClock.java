package io.depthflow.sources.clock;

import org.apache.flink.annotation.PublicEvolving;

/** Wall-clock time ({@link System#currentTimeMillis()}); the default {@link SourceClock}. */
@PublicEvolving
public final class SystemClock implements SourceClock {

    private static final long serialVersionUID = 1L;

    public static final SystemClock INSTANCE = new SystemClock();

    private SystemClock() {}

    @Override
    public long currentTimeMillis() {
        return System.currentTimeMillis();
    }

    private Object readResolve() {
        return INSTANCE;
    }

    @Override
    public String toString() {
        return "SystemClock";
    }
}
