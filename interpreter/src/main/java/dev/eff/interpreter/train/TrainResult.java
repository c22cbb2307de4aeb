package dev.eff.interpreter.train;

/**
 * What a run did: its steps, the loss of every {@code lossEvery}-th step in order (every step unless the run was
 * longer than {@link LossLog#CAPACITY} steps), the last step's loss, the examples seen and the wall time.
 */
public record TrainResult(double[] losses, long lossEvery, long steps, double finalLoss, long examples, double seconds) {

    /** Every step's loss. */
    public TrainResult(double[] losses, long examples, double seconds) {
        this(losses, 1, losses.length, losses.length == 0 ? Double.NaN : losses[losses.length - 1], examples, seconds);
    }

    public double examplesPerSecond() { return seconds > 0 ? examples / seconds : Double.NaN; }
}
