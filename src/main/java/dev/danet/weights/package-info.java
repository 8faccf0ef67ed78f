/**
 * Public checkpoints: the catalogue of known files (what they are, where they live, how they
 * were scored, their published hash), and getting one: a resumable, verified download and the
 * conversion into the project's own format. The only code in the project that downloads.
 */
package dev.danet.weights;
