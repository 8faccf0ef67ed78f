package dev.danet.api;

/** What a segmentation computes besides the labels; each costs time and memory, so it is asked for. */
public enum Output {

    /** Class probabilities per pixel: K floats per pixel (softmax of the averaged logits). */
    PROBABILITIES,

    /**
     * The attention maps of the model's position and channel attention modules, computed on the
     * picture resized to the segmenter's attention side. Only for models with attention modules.
     */
    ATTENTION
}
