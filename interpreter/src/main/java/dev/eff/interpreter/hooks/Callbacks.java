package dev.eff.interpreter.hooks;

import dev.eff.dsl.check.TrainJob;
import dev.eff.dsl.check.Value;
import dev.eff.interpreter.train.TrainListener;
import groovy.lang.Closure;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A train statement's callback hooks, run after each step around the listener that shows its progress. */
public final class Callbacks {
    private Callbacks() {}

    /** {@code inner} alone when the statement names no callbacks. */
    public static TrainListener around(TrainListener inner, TrainJob job) {
        if (job.callbacks().isEmpty()) return inner;
        List<GroovyCallback> hooks = new ArrayList<>();
        for (Value.Call c : job.callbacks()) hooks.add((GroovyCallback) c.spec());
        return new Listener(inner, hooks, job.batch());
    }

    private static final class Listener implements TrainListener {
        private final TrainListener inner;
        private final List<GroovyCallback> hooks;
        private final List<Closure<?>> closures = new ArrayList<>();
        private final long batch;
        private long stepsPerEpoch = 1;
        private Map<String, Double> aux = Map.of();
        private boolean stop;

        Listener(TrainListener inner, List<GroovyCallback> hooks, long batch) {
            this.inner = inner;
            this.hooks = hooks;
            this.batch = batch;
        }

        @Override
        public void started(long totalSteps, long examples) {
            inner.started(totalSteps, examples);
            stepsPerEpoch = Math.max(1, examples / batch + (examples % batch == 0 ? 0 : 1));
            for (GroovyCallback h : hooks) closures.add(h.start());
        }

        @Override
        public void auxiliaries(long step, Map<String, Double> values) {
            inner.auxiliaries(step, values);
            aux = values;
        }

        @Override
        public void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {
            inner.step(step, totalSteps, loss, examplesSeen, seconds);
            StepInfo info = new StepInfo(step, totalSteps, (step - 1) / stepsPerEpoch + 1, step % stepsPerEpoch == 0, loss, aux,
                    examplesSeen, seconds);
            for (int i = 0; i < hooks.size(); i++) hooks.get(i).after(closures.get(i), info);
            stop |= info.stopRequested();
        }

        @Override public boolean stopEarly() { return stop; }

        @Override public void checkpointed(long step, Path path) { inner.checkpointed(step, path); }

        @Override public void finished() { inner.finished(); }
    }
}
