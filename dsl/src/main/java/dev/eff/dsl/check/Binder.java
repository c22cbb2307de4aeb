package dev.eff.dsl.check;

import dev.eff.dsl.ast.Expr;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.resolve.Folder;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Scope;
import dev.eff.dsl.source.Span;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds a call to its component's signature: picks the variant from a leading bare word, binds positional
 * then named arguments, checks every value against its parameter's type and range, and fills in defaults.
 * Each problem is reported at the argument it concerns; a call with any problem binds to null.
 */
final class Binder {

    /** The tensor values a {@link Type.Ref} argument may name: value name to value id. */
    interface Values {
        String id(String name);

        Collection<String> names();

        Values NONE = new Values() {
            public String id(String name) { return null; }
            public Collection<String> names() { return List.of(); }
        };
    }

    private final Catalog catalog;
    private final Reporter report;
    private final Folder folder;

    Binder(Catalog catalog, Reporter report) {
        this.catalog = catalog;
        this.report = report;
        this.folder = new Folder(report);
    }

    Folder folder() { return folder; }

    Reporter report() { return report; }

    /** A bare name where a call is expected ({@code accuracy}, {@code optimizer = adam}): the call with its defaults. */
    Value.Call bindWord(Expr.Name word, Kind kind, Scope scope) {
        return bind(new Expr.Call(word.span(), word.path().get(0), List.of()), kind, scope, Values.NONE,
                word.path().size() > 1 ? word.dotted() : null);
    }

    Value.Call bind(Expr.Call call, Kind kind, Scope scope, Values values) {
        return bind(call, kind, scope, values, null);
    }

    private Value.Call bind(Expr.Call call, Kind kind, Scope scope, Values values, String dotted) {
        String name = dotted != null ? dotted : call.name().text();
        List<ComponentSpec> family = dotted != null ? List.of() : catalog.lookup(kind, name);
        if (family.isEmpty()) {
            unknownComponent(call.name().span(), name, kind);
            return null;
        }
        List<Expr.Arg> args = call.args();
        ComponentSpec spec = null;
        int first = 0;
        boolean hasVariants = family.stream().anyMatch(s -> s.signature().variant() != null);
        if (hasVariants && !args.isEmpty() && args.get(0).positional() && args.get(0).value() instanceof Expr.Name w
                && w.path().size() == 1 && values.id(w.dotted()) == null) {
            Value bound = scope.lookup(w.dotted());
            String word = bound == null ? w.dotted() : bound instanceof Value.Symbol s ? s.name() : null;
            if (word != null) {
                for (ComponentSpec s : family) if (word.equals(s.signature().variant())) spec = s;
                if (spec == null) {
                    List<String> variants = family.stream().map(s -> s.signature().variant()).filter(v -> v != null).toList();
                    report.error(w.span(), "unknown variant '" + word + "' of '" + name + "'" + Spelling.didYouMean(word, variants),
                            "variants of " + name + ": " + Spelling.list(variants));
                    return null;
                }
                first = 1;
            }
        }
        if (spec == null) {
            spec = defaultOf(family);
            if (spec == null) {
                List<String> variants = family.stream().map(s -> s.signature().variant()).toList();
                report.error(call.name().span(), "'" + name + "' needs a variant",
                        "write e.g. " + name + "(" + variants.get(0) + ", ...); variants: " + Spelling.list(variants));
                return null;
            }
        }
        Signature sig = spec.signature();
        Map<String, Value> bound = new LinkedHashMap<>();
        Map<String, Span> given = new LinkedHashMap<>();
        boolean ok = true;
        int position = 0;
        boolean named = false;
        boolean unknownParam = false;
        for (int i = first; i < args.size(); i++) {
            Expr.Arg a = args.get(i);
            Param p;
            if (a.positional()) {
                if (named) {
                    report.error(a.span(), "a positional argument cannot follow named arguments",
                            "name it, e.g. " + (position < sig.params().size() ? sig.params().get(position).name() : "name") + " = "
                                    + a.span().text());
                    ok = false;
                    continue;
                }
                if (position >= sig.params().size()) {
                    report.error(a.span(), "too many arguments for '" + sig.title() + "': it takes "
                            + (sig.params().isEmpty() ? "none" : sig.params().size() == 1 ? "1" : String.valueOf(sig.params().size())),
                            "signature: " + describe(sig));
                    ok = false;
                    continue;
                }
                p = sig.params().get(position++);
            } else {
                named = true;
                String pn = a.name().text();
                p = sig.param(pn).orElse(null);
                if (p == null) {
                    List<String> names = sig.params().stream().map(Param::name).toList();
                    report.error(a.name().span(), "unknown parameter '" + pn + "' of '" + sig.title() + "'"
                                    + Spelling.didYouMean(pn, names),
                            names.isEmpty() ? sig.title() + " takes no parameters" : "signature: " + describe(sig));
                    ok = false;
                    unknownParam = true;
                    continue;
                }
            }
            Span earlier = given.putIfAbsent(p.name(), a.span());
            if (earlier != null) {
                report.error(a.name() != null ? a.name().span() : a.span(), "parameter '" + p.name() + "' is given twice",
                        "it was already given at " + earlier.line() + ":" + earlier.column());
                ok = false;
                continue;
            }
            Value v = coerce(a.value(), p.type(), p.name(), scope, values);
            if (v == null) ok = false;
            else bound.put(p.name(), v);
        }
        Map<String, Value> all = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (Param p : sig.params()) {
            if (bound.containsKey(p.name())) all.put(p.name(), bound.get(p.name()));
            else if (given.containsKey(p.name())) continue;
            else if (p.required()) missing.add(p.name());
            else {
                Value d = completeDefault(p, call.span());
                if (d == null) ok = false;
                else all.put(p.name(), d);
            }
        }
        // A misspelt parameter is usually the missing one: reporting both would say the same thing twice.
        if (!missing.isEmpty() && !unknownParam) {
            report.error(call.name().span(), "missing required " + (missing.size() == 1 ? "parameter " : "parameters ")
                    + Spelling.list(missing) + " of '" + sig.title() + "'", "signature: " + describe(sig));
        }
        if (!missing.isEmpty()) ok = false;
        return ok ? new Value.Call(sig.name(), sig.variant(), all, call.span(), spec) : null;
    }

    /**
     * A component-typed default written by a component's author as a bare {@code Value.Call} (no spec, maybe
     * not every argument) is bound like a written call, so later stages always see a spec and every argument.
     */
    private Value completeDefault(Param p, Span at) {
        if (!(p.type() instanceof Type.Component c) || !(p.defaultValue() instanceof Value.Call dc) || dc.spec() != null) {
            return p.defaultValue();
        }
        ComponentSpec spec = null;
        for (ComponentSpec s : catalog.lookup(c.kind(), dc.name())) {
            if (java.util.Objects.equals(s.signature().variant(), dc.variant())) spec = s;
        }
        if (spec == null && dc.variant() == null) spec = defaultOf(catalog.lookup(c.kind(), dc.name()));
        if (spec == null) {
            report.error(at, "internal error: the default of '" + p.name() + "' names " + article(c.kind().word()) + " '"
                    + dc.name() + "' that is not registered", "set '" + p.name() + "' explicitly");
            return null;
        }
        Map<String, Value> args = new LinkedHashMap<>();
        for (Param q : spec.signature().params()) {
            Value v = dc.args().containsKey(q.name()) ? dc.args().get(q.name()) : completeDefault(q, at);
            if (v == null) return null;
            args.put(q.name(), v);
        }
        return new Value.Call(spec.signature().name(), spec.signature().variant(), args, at, spec);
    }

    private static ComponentSpec defaultOf(List<ComponentSpec> family) {
        for (ComponentSpec s : family) if (s.defaultVariant() || s.signature().variant() == null) return s;
        return family.size() == 1 ? family.get(0) : null;
    }

    void unknownComponent(Span span, String name, Kind kind) {
        Collection<String> known = catalog.names(kind);
        String message = "unknown " + kind.word() + " '" + name + "'" + Spelling.didYouMean(name, known);
        for (Kind other : Kind.values()) {
            if (other != kind && !catalog.lookup(other, name).isEmpty()) {
                message = "'" + name + "' is " + article(other.word()) + ", not " + article(kind.word());
                break;
            }
        }
        report.error(span, message, known.isEmpty() ? "no " + kind.word() + " is registered"
                : "known " + plural(kind) + ": " + Spelling.list(known));
    }

    private static String article(String word) {
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private static String plural(Kind kind) {
        if (kind == Kind.DATA) return "data sources";
        return kind.word().endsWith("s") ? kind.word() + "es" : kind.word() + "s";
    }

    /** {@code dense(units: int ≥ 1, bias: bool = true)}. */
    static String describe(Signature sig) {
        String params = sig.params().stream()
                .map(p -> p.name() + ": " + p.type().describe() + (p.required() ? "" : " = " + p.defaultValue().render()))
                .collect(Collectors.joining(", "));
        return sig.name() + "(" + (sig.variant() != null ? sig.variant() + (params.isEmpty() ? "" : ", ") : "") + params + ")";
    }

    /** The value of an argument expression for a parameter of type {@code t}, or null after reporting why not. */
    Value coerce(Expr e, Type t, String param, Scope scope, Values values) {
        if (t instanceof Type.Component c) {
            if (e instanceof Expr.Call call) return bind(call, c.kind(), scope, values);
            if (Folder.isFreeWord(e, scope)) return bindWord((Expr.Name) e, c.kind(), scope);
            report.error(e.span(), "expected " + article(c.kind().word()) + " call for '" + param + "', got '" + e.span().text() + "'",
                    catalog.names(c.kind()).isEmpty() ? null : "known " + plural(c.kind()) + ": " + Spelling.list(catalog.names(c.kind())));
            return null;
        }
        if (t instanceof Type.Ref) {
            if (e instanceof Expr.Name n && n.path().size() == 1 && values.id(n.dotted()) != null) return new Value.Ref(n.dotted());
            String word = e.span().text();
            report.error(e.span(), "expected a model value for '" + param + "', got '" + word + "'"
                            + (e instanceof Expr.Name ? Spelling.didYouMean(word, values.names()) : ""),
                    values.names().isEmpty() ? "model values are the inputs and the names bound with 'let' in a model body"
                            : "values here: " + Spelling.list(values.names()));
            return null;
        }
        if (t instanceof Type.Model) {
            // The name only: the checker resolves it to a trained instance (see ProgramJob#models).
            if (e instanceof Expr.Name n && n.path().size() == 1 || e instanceof Expr.Call) return new Value.Symbol(e.span().text());
            report.error(e.span(), "expected a model for '" + param + "', got '" + e.span().text() + "'",
                    "name a model the script trains, e.g. " + param + " = cnn");
            return null;
        }
        if (t instanceof Type.ListOf l && e instanceof Expr.ListLit list
                && (l.element() instanceof Type.Component || l.element() instanceof Type.Ref)) {
            List<Value> items = new ArrayList<>();
            boolean ok = true;
            for (Expr item : list.items()) {
                Value v = coerce(item, l.element(), param, scope, values);
                if (v == null) ok = false;
                else items.add(v);
            }
            return ok ? new Value.List_(items) : null;
        }
        if (e instanceof Expr.Call call) {
            report.error(call.span(), "expected " + t.describe() + " for '" + param + "', got a call to '" + call.name().text() + "'", null);
            return null;
        }
        Value v = folder.fold(e, scope);
        if (v == null) return null;
        return check(v, t, param, e, scope);
    }

    /** Checks a folded value against a type; ints widen to floats. */
    Value check(Value v, Type t, String param, Expr origin, Scope scope) {
        if (v instanceof Value.Symbol && !(t instanceof Type.Choice) && Folder.isFreeWord(origin, scope)) {
            folder.unknownName((Expr.Name) origin, scope, null);
            return null;
        }
        if (t instanceof Type.Int range) {
            if (v instanceof Value.Int i) {
                if (i.value() < range.min() || i.value() > range.max()) return outOfRange(param, t, v, origin);
                return v;
            }
            return mismatch(t, param, v, origin);
        }
        if (t instanceof Type.Real range) {
            double d;
            if (v instanceof Value.Int i) d = i.value();
            else if (v instanceof Value.Float f) d = f.value();
            else return mismatch(t, param, v, origin);
            boolean low = range.minExclusive() ? d <= range.min() : d < range.min();
            if (low || d > range.max()) return outOfRange(param, t, v, origin);
            return new Value.Float(d);
        }
        if (t instanceof Type.Bool) return v instanceof Value.Bool ? v : mismatch(t, param, v, origin);
        if (t instanceof Type.Str) return v instanceof Value.Str ? v : mismatch(t, param, v, origin);
        if (t instanceof Type.Choice c) {
            if (v instanceof Value.Symbol s && c.options().contains(s.name())) return v;
            if (v instanceof Value.Symbol s) {
                report.error(origin.span(), "unknown value '" + s.name() + "' for '" + param + "'"
                        + Spelling.didYouMean(s.name(), c.options()), "'" + param + "' is one of: " + Spelling.list(c.options()));
                return null;
            }
            if (v instanceof Value.Str s && c.options().contains(s.value())) {
                report.error(origin.span(), "expected a bare word for '" + param + "', got a string",
                        "write it without quotes: " + s.value());
                return null;
            }
            return mismatch(t, param, v, origin);
        }
        if (t instanceof Type.ListOf l) {
            if (!(v instanceof Value.List_ list)) return mismatch(t, param, v, origin);
            List<Value> items = new ArrayList<>();
            List<Expr> exprs = origin instanceof Expr.ListLit lit && lit.items().size() == list.items().size() ? lit.items() : null;
            for (int i = 0; i < list.items().size(); i++) {
                Value item = check(list.items().get(i), l.element(), param, exprs == null ? origin : exprs.get(i), scope);
                if (item == null) return null;
                items.add(item);
            }
            return new Value.List_(items);
        }
        return mismatch(t, param, v, origin);
    }

    private Value mismatch(Type t, String param, Value v, Expr origin) {
        report.error(origin.span(), "expected " + t.describe() + " for " + quote(param) + ", got " + show(v) + from(origin), null);
        return null;
    }

    private Value outOfRange(String param, Type t, Value v, Expr origin) {
        String range = t.describe().replaceFirst("^(int|float) ", "");
        report.error(origin.span(), quote(param) + " must be " + range + ", got " + v.render() + from(origin), null);
        return null;
    }

    /** A parameter name in quotes; a description such as "the repeat count" as it is. */
    private static String quote(String param) {
        return param.contains(" ") ? param : "'" + param + "'";
    }

    static String show(Value v) {
        if (v instanceof Value.Symbol s) return "the word '" + s.name() + "'";
        if (v instanceof Value.List_) return "a list " + v.render();
        return v.typeName() + " " + v.render();
    }

    /** " (from 'd / 3')" when the value was computed rather than written. */
    static String from(Expr origin) {
        boolean literal = origin instanceof Expr.IntLit || origin instanceof Expr.FloatLit || origin instanceof Expr.StrLit
                || origin instanceof Expr.BoolLit || origin instanceof Expr.ListLit
                || (origin instanceof Expr.Neg n && (n.operand() instanceof Expr.IntLit || n.operand() instanceof Expr.FloatLit));
        return literal ? "" : " (from '" + origin.span().text() + "')";
    }
}
