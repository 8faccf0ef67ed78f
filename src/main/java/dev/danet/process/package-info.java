/**
 * Facts about the running process that more than one part of the project reports: its resident
 * memory ({@link dev.danet.process.ProcessMemory}), read by the benchmarks and by the server's
 * status page.
 */
package dev.danet.process;
