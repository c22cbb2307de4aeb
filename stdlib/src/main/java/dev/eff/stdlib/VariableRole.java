package dev.eff.stdlib;

/**
 * What the trainer does with a model variable. Every role is saved in checkpoints and shared between a model's
 * training and inference graphs; only the role decides whether an optimizer touches it.
 */
public enum VariableRole {
    /** Updated by the optimizer (and weight decay when it is a matrix). */
    TRAINABLE,
    /** A weight that is never updated: a frozen layer, a teacher's weights. */
    FROZEN,
    /** A buffer that is not a weight: random features, running statistics. Never updated or decayed by the optimizer. */
    STATE,
    /**
     * A weight the statement's optimizer leaves alone and a second stage trains after it, with the rest of the model
     * frozen: CALM's early-exit classifiers, which learn from what the trained model predicts.
     */
    SECOND_STAGE
}
