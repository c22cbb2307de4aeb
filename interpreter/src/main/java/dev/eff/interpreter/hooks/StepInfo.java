package dev.eff.interpreter.hooks;

import java.util.Map;

/**
 * What a callback hook reads after a training step (as Groovy properties: {@code s.step}, {@code s.loss},
 * {@code s.aux.balance}, ...), and its one action, {@link #stop()}: end the train statement after this step, as if it
 * had been its last (the checkpoint, when the statement has one, is written).
 */
public final class StepInfo {
    private final long step, totalSteps, epoch, examples;
    private final boolean endOfEpoch;
    private final double loss, seconds;
    private final Map<String, Double> aux;
    private boolean stopRequested;

    StepInfo(long step, long totalSteps, long epoch, boolean endOfEpoch, double loss, Map<String, Double> aux, long examples,
             double seconds) {
        this.step = step;
        this.totalSteps = totalSteps;
        this.epoch = epoch;
        this.endOfEpoch = endOfEpoch;
        this.loss = loss;
        this.aux = Map.copyOf(aux);
        this.examples = examples;
        this.seconds = seconds;
    }

    /** Steps done in this statement, from 1. */
    public long getStep() { return step; }

    public long getTotalSteps() { return totalSteps; }

    /** The epoch this step belongs to, from 1 (a statement measured in steps counts epochs of the data too). */
    public long getEpoch() { return epoch; }

    /** Whether this step ends an epoch: a callback for once per epoch tests it. */
    public boolean isEndOfEpoch() { return endOfEpoch; }

    /** This step's training loss. */
    public double getLoss() { return loss; }

    /** This step's auxiliary losses by name (summed over the layers that emit each, unweighted). */
    public Map<String, Double> getAux() { return aux; }

    /** Examples trained on so far in this statement. */
    public long getExamples() { return examples; }

    public double getSeconds() { return seconds; }

    public void stop() { stopRequested = true; }

    boolean stopRequested() { return stopRequested; }

    @Override
    public String toString() {
        return "step " + step + "/" + totalSteps + ", epoch " + epoch + ", loss " + loss;
    }
}
