package dev.eff.dsl.check;

import dev.eff.dsl.ast.Stmt;
import dev.eff.dsl.diag.Spelling;
import dev.eff.dsl.resolve.Reporter;
import dev.eff.dsl.resolve.Resolver;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Declares a script's hooks before its statements are checked: each hook's kind and language are looked up, its code
 * compiled by its {@link HookLanguage} (a compile error becomes a diagnostic at the line and column of the code), and
 * the hooks join the catalog as components of their kind. {@code loss = focal} then binds like {@code loss =
 * crossEntropy}, with "did you mean" over built-in losses and hooks alike.
 */
final class Hooks {
    private Hooks() {}

    static final List<Kind> KINDS = List.of(Kind.LOSS, Kind.METRIC, Kind.CALLBACK);

    /** {@code catalog} with the hooks that declare cleanly; every problem of the others is reported. */
    static Catalog declare(Collection<Resolver.HookCode> hooks, Catalog catalog, Reporter report) {
        if (hooks.isEmpty()) return catalog;
        List<HookLanguage> languages = HookLanguage.installed();
        Map<Kind, Map<String, Hook>> declared = new LinkedHashMap<>();
        Map<String, Resolver.HookCode> failed = new LinkedHashMap<>();
        for (Resolver.HookCode h : hooks) {
            Hook hook = declare(h, catalog, languages, report);
            String name = h.stmt().name().text();
            if (hook != null) {
                declared.computeIfAbsent(hook.decl().kind(), k -> new LinkedHashMap<>()).put(name, hook);
            } else if (KINDS.stream().allMatch(k -> catalog.lookup(k, name).isEmpty())) {
                failed.put(name, h);
            }
        }
        return new WithHooks(catalog, declared, failed);
    }

    private static Hook declare(Resolver.HookCode h, Catalog catalog, List<HookLanguage> languages, Reporter report) {
        Stmt.Hook s = h.stmt();
        String name = s.name().text();
        Kind kind = Kind.LOSS;
        if (s.kind() != null) {
            List<String> words = KINDS.stream().map(Kind::word).toList();
            kind = KINDS.stream().filter(k -> k.word().equals(s.kind().text())).findFirst().orElse(null);
            if (kind == null) {
                report.error(s.kind().span(), "unknown hook kind '" + s.kind().text() + "'" + Spelling.didYouMean(s.kind().text(), words),
                        "a hook is a " + Spelling.joinOr(words.stream().map(w -> "'" + w + "'").toList()));
                return null;
            }
        }
        String lang = s.language().text();
        HookLanguage language = languages.stream().filter(l -> l.name().equals(lang)).findFirst().orElse(null);
        if (language == null) {
            List<String> known = languages.stream().map(HookLanguage::name).toList();
            report.error(s.language().span(), "unknown hook language '" + lang + "'" + Spelling.didYouMean(lang, known),
                    known.isEmpty() ? "this runtime runs no hooks" : "hooks are written in " + Spelling.list(known));
            return null;
        }
        if (!catalog.lookup(kind, name).isEmpty()) {
            report.error(s.name().span(), "hook '" + name + "' has the name of the built-in " + kind.word() + " '" + name + "'",
                    "give the hook another name");
            return null;
        }
        HookDecl decl = new HookDecl(name, kind, lang, h.code(), s.name().span());
        try {
            return language.declare(decl);
        } catch (HookLanguage.CompileError e) {
            report.error(decl.position(e.line(), e.column()), lang + " hook '" + name + "' does not compile: " + e.getMessage(),
                    h.code().source() == s.span().source() ? null : "in " + h.code().source().name() + ", named by the hook at "
                            + s.span().location());
            return null;
        } catch (RuntimeException e) {
            report.error(s.name().span(), "internal error declaring hook '" + name + "': " + e,
                    "this is a bug in the " + lang + " runtime, not in the script");
            return null;
        }
    }

    /** What a hook that failed to declare stands as: the program is not run, as its error was reported. */
    private static Hook broken(Resolver.HookCode h, Kind kind) {
        HookDecl decl = new HookDecl(h.stmt().name().text(), kind, h.stmt().language().text(), h.code(), h.stmt().name().span());
        return () -> decl;
    }

    /**
     * A catalog and, for the kinds hooks can be, the script's hooks of that kind. A hook that failed to declare binds
     * to a stand-in wherever a hook may stand, so the one error is the hook's own, not "unknown loss" at every use; it
     * is left out of the names offered for "did you mean".
     */
    private record WithHooks(Catalog base, Map<Kind, Map<String, Hook>> hooks, Map<String, Resolver.HookCode> failed)
            implements Catalog {
        @Override
        public List<ComponentSpec> lookup(Kind kind, String name) {
            Hook h = hooks.getOrDefault(kind, Map.of()).get(name);
            if (h != null) return List.of(h);
            if (KINDS.contains(kind) && failed.containsKey(name)) return List.of(broken(failed.get(name), kind));
            return base.lookup(kind, name);
        }

        @Override
        public Collection<String> names(Kind kind) {
            TreeSet<String> all = new TreeSet<>(base.names(kind));
            all.addAll(hooks.getOrDefault(kind, Map.of()).keySet());
            return all;
        }
    }
}
