package dev.eff.interpreter.train;

/**
 * What a run did: the loss of every step (in order), the examples seen, the wall time, and the side outputs
 * (auxiliary losses per step, probes per layer) its model emitted.
 */
public record TrainResult(double[] losses, long examples, double seconds, SideOutputLog sideOutputs) {

    public long steps() { return losses.length; }

    public double finalLoss() { return losses.length == 0 ? Double.NaN : losses[losses.length - 1]; }

    public double examplesPerSecond() { return seconds > 0 ? examples / seconds : Double.NaN; }
}
