package dev.eff.interpreter.train;

/**
 * What a run did: its steps, the loss of every {@code lossEvery}-th step in order (every step unless the run was
 * longer than {@link LossLog#CAPACITY} steps), the last step's loss, the examples seen, the wall time, and the side
 * outputs (auxiliary losses per step, probes per layer) its model emitted.
 */
public record TrainResult(double[] losses, long lossEvery, long steps, double finalLoss, long examples, double seconds,
                          SideOutputLog sideOutputs) {

    public double examplesPerSecond() { return seconds > 0 ? examples / seconds : Double.NaN; }
}
