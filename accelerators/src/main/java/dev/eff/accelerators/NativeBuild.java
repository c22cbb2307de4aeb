package dev.eff.accelerators;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;

/**
 * The libnd4j builds ND4J 1.0.0-M2.1 publishes for linux-x86_64, as JavaCPP platform extensions (the
 * classifier suffix of {@code nd4j-native}). {@code requires} are the CPU flags the build's compiler
 * options assume (AVX2 builds: Haswell-class; AVX-512 builds: Skylake-SP-class); running a build without
 * them ends in an illegal instruction or ND4J's own exit.
 */
public enum NativeBuild {
    GENERIC("", Set.of()),
    AVX2("-avx2", Set.of("avx", "avx2", "fma", "f16c")),
    AVX512("-avx512", Set.of("avx", "avx2", "fma", "f16c", "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl")),
    ONEDNN("-onednn", Set.of()),
    ONEDNN_AVX2("-onednn-avx2", AVX2.requires),
    ONEDNN_AVX512("-onednn-avx512", AVX512.requires);

    private final String extension;
    private final Set<String> requires;

    NativeBuild(String extension, Set<String> requires) {
        this.extension = extension;
        this.requires = requires;
    }

    /** The JavaCPP platform extension, e.g. {@code -avx512}; empty for the generic build. */
    public String extension() { return extension; }

    public Set<String> requires() { return requires; }

    /** The name users write in {@code EFF_NATIVE}: {@code generic}, {@code avx2}, {@code onednn-avx512}, ... */
    public String word() { return this == GENERIC ? "generic" : extension.substring(1); }

    /** The Maven classifier of the jar holding this build on {@code platform}. */
    public String classifier(String platform) { return platform + extension; }

    /** The resource whose presence on the class path means the build's jar is there. */
    public String resource(String platform) {
        return "org/nd4j/linalg/cpu/nativecpu/bindings/" + classifier(platform) + "/libnd4jcpu.so";
    }

    public static NativeBuild fromWord(String word) {
        String w = word.strip().toLowerCase(Locale.ROOT);
        for (NativeBuild b : values()) if (b.word().equals(w) || b.extension.equals(w)) return b;
        throw new IllegalArgumentException("unknown native build '" + word + "'; one of "
                + String.join(", ", Arrays.stream(values()).map(NativeBuild::word).toList()));
    }
}
