package dev.eff.dsl.check;

/**
 * A hook declared by a script, bound like a component of its kind: {@code loss = focal}, {@code evaluate m on d {
 * focal }}, {@code callbacks = [stopper]}. Hooks take no arguments and accept any output and labels: what they do with
 * them is their code's business, checked when the graph is built.
 */
public interface Hook extends TargetSpec {

    HookDecl decl();

    @Override
    default Signature signature() {
        HookDecl d = decl();
        return new Signature(d.kind(), d.name(), null,
                d.kind().word() + " hook in " + d.language() + ", declared at " + d.at().location(), java.util.List.of());
    }

    @Override
    default void check(Args args, Shape output, DataSchema.Field label, long classes) {}
}
