package dev.eff.dsl.check;

/**
 * A layer that gives every block of the decoder stack before it an early exit through the layers around it (the
 * final norm before it, the output head after it): the checker requires the shape {@link DecoderStack} describes.
 */
public interface ExitSpec extends LayerSpec {}
