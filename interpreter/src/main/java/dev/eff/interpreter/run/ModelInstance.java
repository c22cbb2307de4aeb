package dev.eff.interpreter.run;

import dev.eff.interpreter.compile.CompiledModel;
import dev.eff.interpreter.train.OptimizerState;
import dev.eff.stdlib.Parameters;

/**
 * One model instance across a script's statements: its variables, the training graph of its latest loss and its
 * inference graph (both over those variables, so they hold the same arrays), its optimizer state (continued by each
 * train statement), whether any statement trained it, the checkpoint that holds its weights as they are (the last
 * one written or read, null once anything else changed them) and the early-exit calibration made for those weights.
 */
final class ModelInstance {
    private final Parameters variables;
    private final OptimizerState optimizer = new OptimizerState();
    private CompiledModel training, inference;
    private boolean trained;
    private java.nio.file.Path checkpoint;
    private dev.eff.interpreter.programs.Calibration.Stored calibration;

    ModelInstance(Parameters variables) {
        this.variables = variables;
    }

    Parameters variables() { return variables; }

    OptimizerState optimizer() { return optimizer; }

    /** The training graph built for this loss (rendered), or null. */
    CompiledModel training(String lossKey) {
        return training != null && training.lossKey().equals(lossKey) ? training : null;
    }

    void training(CompiledModel model) { training = model; }

    CompiledModel inference() { return inference; }

    void inference(CompiledModel model) { inference = model; }

    boolean trained() { return trained; }

    void markTrained() { trained = true; }

    java.nio.file.Path checkpoint() { return checkpoint; }

    /** The weights changed (a train statement) or were loaded: {@code checkpoint} holds them now (null: none does). */
    void weightsFrom(java.nio.file.Path checkpoint) {
        this.checkpoint = checkpoint;
        this.calibration = null;
    }

    dev.eff.interpreter.programs.Calibration.Stored calibration() { return calibration; }

    void calibration(dev.eff.interpreter.programs.Calibration.Stored c) { calibration = c; }
}
