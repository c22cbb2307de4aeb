package dev.eff.dsl.check;

import java.util.List;
import java.util.ServiceLoader;

/**
 * A language a script's hooks are written in ({@code hook focal = groovy """ ... """}). The front end declares each
 * hook through it at check time, so a compile error is a diagnostic at the hook's line and column; the runtime
 * that provides the language (the interpreter's Groovy) registers it with {@code ServiceLoader}.
 */
public interface HookLanguage {

    /** The word scripts name it by, e.g. {@code groovy}. */
    String name();

    /**
     * Compiles the hook and returns it as a component of its kind (for a loss a {@code LossFn} of the runtime). Does
     * not run any of the hook's code.
     */
    Hook declare(HookDecl decl) throws CompileError;

    /** Where the hook's source fails to compile: {@code line} and {@code column} (1-based) within its code. */
    final class CompileError extends Exception {
        private final int line, column;

        public CompileError(int line, int column, String message) {
            super(message);
            this.line = line;
            this.column = column;
        }

        public int line() { return line; }

        public int column() { return column; }
    }

    /** The languages on the class path. */
    static List<HookLanguage> installed() {
        return ServiceLoader.load(HookLanguage.class, HookLanguage.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get).toList();
    }
}
