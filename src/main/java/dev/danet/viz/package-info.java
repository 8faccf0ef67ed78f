/**
 * Drawing only: label maps as pictures, overlays, heat maps of attention and channel maps,
 * legends, training curves and plots. Nothing here runs a model.
 */
package dev.danet.viz;
