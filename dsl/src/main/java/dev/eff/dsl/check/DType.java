package dev.eff.dsl.check;

/** Element types the checker tracks: token ids and labels are INT, activations FLOAT. */
public enum DType {
    INT, FLOAT;

    public String word() { return name().toLowerCase(java.util.Locale.ROOT); }
}
