package dev.eff.interpreter.compile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One decoding position of a causal model as a SameDiff graph: fed the newest token ids [B, 1], its position and the
 * caches the previous position left ({@code caches}: cache key to placeholder; none at the first position), it
 * computes the output for that position [B, 1, ...] and each cache's next value ({@code updates}: cache key to
 * variable). Cache keys are {@code layerPath/name}.
 */
public record StepGraph(SameDiff sd, String tokens, String position, String training, String output,
                        Map<String, String> caches, Map<String, String> updates, DataType dtype) {

    public StepGraph {
        caches = Map.copyOf(caches);
        updates = Map.copyOf(updates);
    }

    /** The result of one step: the output for the newest position, and the caches for the next. */
    public record Result(INDArray output, Map<String, INDArray> caches) {}

    /** Runs one position: {@code tokens} [B, 1] int ids at {@code position}, with the previous step's caches. */
    public Result run(INDArray tokens, int position, Map<String, INDArray> previous) {
        return run(tokens, position, previous, true);
    }

    /**
     * Only the caches' next values for one position (the output null): SameDiff then runs only the ops they need,
     * as an early exit does for the blocks a token skips (their keys and values from the exiting state).
     */
    public Map<String, INDArray> cachesOnly(INDArray tokens, int position, Map<String, INDArray> previous) {
        return updates.isEmpty() ? Map.of() : run(tokens, position, previous, false).caches();
    }

    private Result run(INDArray tokens, int position, Map<String, INDArray> previous, boolean withOutput) {
        Map<String, INDArray> feed = new HashMap<>();
        feed.put(this.tokens, tokens);
        feed.put(this.position, Nd4j.createFromArray(new int[] {position}));
        feed.put(training, Nd4j.scalar(dtype, 0));
        caches.forEach((key, placeholder) -> feed.put(placeholder, previous.get(key)));
        List<String> wanted = new java.util.ArrayList<>(updates.values());
        if (withOutput) wanted.add(output);
        Map<String, INDArray> out = PlannedExecutor.output(sd, feed, wanted);
        Map<String, INDArray> next = new HashMap<>();
        updates.forEach((key, variable) -> next.put(key, out.get(variable)));
        return new Result(withOutput ? out.get(output) : null, next);
    }
}
