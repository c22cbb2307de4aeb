package dev.eff.dsl.check;

/**
 * A named value a layer emits beside its stream output, declared so the checker can resolve it statically:
 * an auxiliary loss ({@link Role#AUX}: a scalar a loss formula may weight as {@code aux.NAME}, summed over every
 * layer that emits it) or a probe ({@link Role#PROBE}: a statistic logged during training and evaluation).
 */
public record SideOutput(String name, Role role, String doc) {
    public enum Role { AUX, PROBE }

    public static SideOutput aux(String name, String doc) { return new SideOutput(name, Role.AUX, doc); }

    public static SideOutput probe(String name, String doc) { return new SideOutput(name, Role.PROBE, doc); }
}
