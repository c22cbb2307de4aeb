package dev.eff.interpreter.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.nd4j.autodiff.listeners.At;
import org.nd4j.autodiff.listeners.BaseListener;
import org.nd4j.autodiff.listeners.Operation;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.internal.SameDiffOp;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.OpContext;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * Times every op of the training graph (forward and backward) during a window of training steps: after
 * {@code warmup} steps, for {@code steps} steps. A {@link TrainListener} that forwards every event to the listener
 * it wraps and hands its SameDiff listener to the trainer through {@link #graphListeners()}.
 *
 * <p>Ops are grouped by type and output shapes, so the 18 layer-norm gain multiplies of a 4-block model show as one
 * row; each row's time is per profiled step. The rest of the step's wall time (SameDiff's session work between ops,
 * the optimizer's update on the host) is reported as its own row, so the shares add up to the step.
 */
public final class OpProfiler implements TrainListener {

    /** One op run: what ran, its outputs' shapes, when it started (ns since the window opened) and how long it took. */
    public record Event(String op, String type, String shapes, long startNanos, long nanos) {}

    /** One row of the profile: an op type at one set of output shapes, per profiled step. */
    public record Row(String type, String shapes, double callsPerStep, double msPerStep, double share) {}

    /** The row of the time outside the graph's ops: SameDiff's session work between ops and the host's update. */
    public static final String BETWEEN = "(between ops: session, update)";

    /** At most this many events are kept for the trace; the table counts every op regardless. */
    static final int MAX_EVENTS = 500_000;

    private final TrainListener delegate;
    private final long warmup;
    private final long steps;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, long[]> totals = new LinkedHashMap<>();   // type + shapes -> {calls, nanos}
    private final Map<String, String[]> keys = new LinkedHashMap<>();
    private final Timer timer = new Timer();
    private long profiledSteps;
    private long windowStart;
    private long stepStart;
    private long profiledWall;
    private boolean recording;

    public OpProfiler(TrainListener delegate, long warmup, long steps) {
        if (warmup < 0 || steps < 1) throw new IllegalArgumentException("warmup >= 0 and steps >= 1 expected");
        this.delegate = delegate;
        this.warmup = warmup;
        this.steps = steps;
    }

    @Override public List<org.nd4j.autodiff.listeners.Listener> graphListeners() { return List.of(timer); }

    @Override public void started(long totalSteps, long examples) {
        delegate.started(totalSteps, examples);
        recording = warmup == 0;
        if (recording) openStep();
    }

    @Override public void step(long step, long totalSteps, double loss, long examplesSeen, double seconds) {
        if (recording) {
            profiledWall += System.nanoTime() - stepStart;
            profiledSteps++;
        }
        recording = step >= warmup && profiledSteps < steps;
        if (recording) openStep();
        delegate.step(step, totalSteps, loss, examplesSeen, seconds);
    }

    private void openStep() {
        stepStart = System.nanoTime();
        if (profiledSteps == 0) windowStart = stepStart;
    }

    @Override public void auxiliaries(long step, Map<String, Double> values) { delegate.auxiliaries(step, values); }

    @Override public void checkpointed(long step, java.nio.file.Path path) { delegate.checkpointed(step, path); }

    @Override public void finished() {
        recording = false;
        delegate.finished();
    }

    /** Steps profiled so far (fewer than asked when the run was shorter than warm-up plus window). */
    public long profiledSteps() { return profiledSteps; }

    /** The ops' rows, slowest first, followed by the time between ops; shares of the profiled steps' wall time. */
    public List<Row> rows() {
        if (profiledSteps == 0) return List.of();
        double n = profiledSteps;
        double wallMs = profiledWall / 1e6 / n;
        List<Row> rows = new ArrayList<>();
        long opNanos = 0;
        for (var e : totals.entrySet()) {
            String[] k = keys.get(e.getKey());
            double ms = e.getValue()[1] / 1e6 / n;
            opNanos += e.getValue()[1];
            rows.add(new Row(k[0], k[1], e.getValue()[0] / n, ms, ms / wallMs));
        }
        rows.sort(Comparator.comparingDouble(Row::msPerStep).reversed());
        double between = Math.max(0, (profiledWall - opNanos) / 1e6 / n);
        rows.add(new Row(BETWEEN, "", 0, between, between / wallMs));
        return rows;
    }

    /** Wall time of a profiled step, in ms. */
    public double msPerStep() { return profiledSteps == 0 ? 0 : profiledWall / 1e6 / profiledSteps; }

    /** The op runs of the window in order (the first {@link #MAX_EVENTS}), for a trace. */
    public List<Event> events() { return List.copyOf(events); }

    private final class Timer extends BaseListener {
        private long opStart;

        @Override public boolean isActive(Operation operation) { return true; }

        @Override public void preOpExecution(SameDiff sd, At at, SameDiffOp op, OpContext ctx) {
            if (recording) opStart = System.nanoTime();
        }

        @Override public void opExecution(SameDiff sd, At at, MultiDataSet batch, SameDiffOp op, OpContext ctx, INDArray[] outputs) {
            if (!recording) return;
            long end = System.nanoTime();
            String type = op.getOp().opName();
            String shapes = outputs == null ? "" : Arrays.stream(outputs)
                    .map(a -> a == null ? "-" : Arrays.toString(a.shape())).collect(Collectors.joining(" "));
            String key = type + '\u0000' + shapes;
            keys.putIfAbsent(key, new String[] {type, shapes});
            long[] t = totals.computeIfAbsent(key, k -> new long[2]);
            t[0]++;
            t[1] += end - opStart;
            if (events.size() < MAX_EVENTS) events.add(new Event(op.getName(), type, shapes, opStart - windowStart, end - opStart));
        }
    }
}
