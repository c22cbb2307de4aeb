package dev.eff.dsl.check;

/**
 * The front end's view of a program component ({@code predict}, {@code generate}, ...): a statement
 * {@code NAME MODEL [on DATA.split] { settings }} whose settings bind to the signature's parameters like a call's
 * arguments. The runtime adds what it does.
 */
public interface ProgramSpec extends ComponentSpec {

    /** Whether the statement names data with {@code on DATA.split}. */
    enum DataUse { REQUIRED, OPTIONAL, NONE }

    DataUse data();

    /** The split used when {@code on DATA} names none. */
    default String defaultSplit() { return "test"; }

    /**
     * Checks what the signature cannot: that this model and data suit the program. {@code data} is the data the
     * statement names, or else the data the model instance was last used with.
     */
    default void check(Args settings, ModelGraph model, DataBinding data) throws ShapeException {}

    /** The settings naming files the program writes (checked before the run starts, like checkpoints). */
    default java.util.List<String> outputSettings() { return java.util.List.of(); }
}
