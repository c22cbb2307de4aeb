package dev.eff.api;

import com.google.auto.service.AutoService;
import java.util.List;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

/**
 * Makes Eff a JSR-223 language: {@code new ScriptEngineManager().getEngineByName("eff")} (or by the extension
 * {@code eff}) returns an {@link EffScriptEngine}. Registered in {@code META-INF/services}. Engines are not
 * thread-safe ({@code THREADING} is null): use one per thread.
 */
@AutoService(ScriptEngineFactory.class)
public final class EffScriptEngineFactory implements ScriptEngineFactory {

    @Override public String getEngineName() { return "Eff"; }

    @Override public String getEngineVersion() { return Eff.VERSION; }

    @Override public List<String> getExtensions() { return List.of("eff"); }

    @Override public List<String> getMimeTypes() { return List.of("text/x-eff"); }

    @Override public List<String> getNames() { return List.of("eff", "Eff"); }

    @Override public String getLanguageName() { return "Eff"; }

    @Override public String getLanguageVersion() { return Eff.VERSION; }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.NAME -> "eff";
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION, ScriptEngine.LANGUAGE_VERSION -> Eff.VERSION;
            case ScriptEngine.LANGUAGE -> getLanguageName();
            default -> null;
        };
    }

    /** Eff calls a component by name with named arguments, {@code dense(16, activation = relu)}. */
    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) { return m + "(" + String.join(", ", args) + ")"; }

    /** Eff scripts declare and train models; they have no statement that prints a value. */
    @Override
    public String getOutputStatement(String toDisplay) {
        throw new UnsupportedOperationException("Eff has no output statement; results come back from eval");
    }

    @Override public String getProgram(String... statements) { return String.join("\n", statements) + "\n"; }

    @Override public ScriptEngine getScriptEngine() { return new EffScriptEngine(this); }
}
