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
     * Checks what the signature cannot: that this model and data suit the program (a {@link Problem} names the setting
     * at fault, if any). {@code data} is the data the statement names, or else the data the model instance
     * was last used with.
     */
    default void check(Args settings, ModelGraph model, DataBinding data) throws Problem {}

    /**
     * As above, for programs with settings of type {@link Type.Model} ({@code models} holds their instances by setting)
     * or that read other splits of the data than {@code split}, the statement's own.
     */
    default void check(Args settings, ModelGraph model, java.util.Map<String, ModelGraph> models, DataBinding data, String split)
            throws Problem {
        check(settings, model, data);
    }

    /** Splits of the statement's data the program reads besides its own (held-out data), loaded before the run starts. */
    default java.util.List<String> otherSplits(Args settings) { return java.util.List.of(); }

    /** Why a program cannot use this model, data or setting: reported at the setting named, else at the model. */
    final class Problem extends Exception {
        private final String setting, hint;

        public Problem(String setting, String message, String hint) {
            super(message);
            this.setting = setting;
            this.hint = hint;
        }

        /** The setting at fault, or null when the model or data is. */
        public String setting() { return setting; }

        public String hint() { return hint; }
    }

    /** The settings naming files the program writes (checked before the run starts, like checkpoints). */
    default java.util.List<String> outputSettings() { return java.util.List.of(); }
}
