package dev.eff.api;

import dev.eff.dsl.Frontend;
import dev.eff.dsl.parse.ParseResult;
import dev.eff.dsl.source.Source;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.script.AbstractScriptEngine;
import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptException;
import javax.script.SimpleBindings;

/**
 * Eff as a JSR-223 script engine. {@code eval} checks the script and runs its statements, and returns the
 * {@link Results} (metrics, and the trained models as {@link Model}s). Bindings (global scope, then engine scope, which
 * wins) pass values in by name: numbers, strings, booleans and lists become constants the script uses like its own
 * {@code let}s; arrays and {@code INDArray}s become arrays the {@code arrays(...)} data source reads; other values are
 * ignored. {@link ScriptEngine#FILENAME} names the script in diagnostics, and its folder is where relative paths
 * resolve. A script error or a failed run raises a {@link ScriptException} at its line and column (1-based).
 * Generated text ({@code generate}) goes to the context's writer; nothing else is printed.
 */
public final class EffScriptEngine extends AbstractScriptEngine implements Compilable {
    private final ScriptEngineFactory factory;

    EffScriptEngine(ScriptEngineFactory factory) { this.factory = factory; }

    @Override
    public Object eval(String script, ScriptContext context) throws ScriptException {
        String name = String.valueOf(context.getAttribute(ScriptEngine.FILENAME) == null ? "script.eff" : context.getAttribute(ScriptEngine.FILENAME));
        Inputs inputs = Eff.with();
        Path file = Path.of(name).toAbsolutePath();
        inputs = inputs.baseDir(file.getParent());
        for (Map.Entry<String, Object> b : bindings(context).entrySet()) {
            if (!b.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) continue;
            try {
                if (JavaValues.isArray(b.getValue())) inputs = inputs.array(b.getKey(), b.getValue());
                else if (JavaValues.constant(b.getValue()) != null) inputs = inputs.constant(b.getKey(), b.getValue());
            } catch (IllegalArgumentException e) {
                throw new ScriptException("binding " + e.getMessage());
            }
        }
        Script compiled = inputs.compile(name, script);
        if (!compiled.ok()) {
            Diagnostic first = compiled.diagnostics().stream().filter(Diagnostic::error).findFirst().orElseThrow();
            long more = compiled.diagnostics().stream().filter(Diagnostic::error).count() - 1;
            throw new ScriptException(first.message() + (first.hint() == null ? "" : " (hint: " + first.hint() + ")")
                    + (more > 0 ? " and " + more + " more error" + (more == 1 ? "" : "s") : ""), first.file(), first.line(), first.column());
        }
        Writer out = context.getWriter();
        try {
            return compiled.run(new Listener() {
                @Override
                public void text(JobInfo job, String piece) {
                    try {
                        out.write(piece);
                        out.flush();
                    } catch (IOException e) {
                        // The host's writer is closed: the text has nowhere to go, and the run goes on.
                    }
                }
            });
        } catch (EffException e) {
            ScriptException s = new ScriptException(e.getMessage() + (e.hint() == null ? "" : " (hint: " + e.hint() + ")"),
                    e.file(), e.line() == 0 ? -1 : e.line(), e.column() == 0 ? -1 : e.column());
            s.initCause(e);
            throw s;
        }
    }

    @Override
    public Object eval(Reader reader, ScriptContext context) throws ScriptException { return eval(read(reader), context); }

    /** Checks the syntax now; the rest of the check waits for {@code eval}, when the bindings are known. */
    @Override
    public CompiledScript compile(String script) throws ScriptException {
        String name = String.valueOf(get(ScriptEngine.FILENAME) == null ? "script.eff" : get(ScriptEngine.FILENAME));
        ParseResult parsed = Frontend.parse(new Source(name, script));
        if (!parsed.ok()) {
            var d = Diagnostic.of(parsed.diagnostics().sorted().get(0));
            throw new ScriptException(d.message(), d.file(), d.line(), d.column());
        }
        return new CompiledScript() {
            @Override public Object eval(ScriptContext context) throws ScriptException { return EffScriptEngine.this.eval(script, context); }

            @Override public ScriptEngine getEngine() { return EffScriptEngine.this; }
        };
    }

    @Override
    public CompiledScript compile(Reader script) throws ScriptException { return compile(read(script)); }

    @Override public Bindings createBindings() { return new SimpleBindings(); }

    @Override public ScriptEngineFactory getFactory() { return factory; }

    private static Map<String, Object> bindings(ScriptContext context) {
        Map<String, Object> all = new LinkedHashMap<>();
        Bindings global = context.getBindings(ScriptContext.GLOBAL_SCOPE), engine = context.getBindings(ScriptContext.ENGINE_SCOPE);
        if (global != null) all.putAll(global);
        if (engine != null) all.putAll(engine);
        return all;
    }

    private static String read(Reader reader) throws ScriptException {
        try {
            java.io.StringWriter text = new java.io.StringWriter();
            reader.transferTo(text);
            return text.toString();
        } catch (IOException e) {
            throw new ScriptException("cannot read the script: " + e.getMessage());
        }
    }
}
