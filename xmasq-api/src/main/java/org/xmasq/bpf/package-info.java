/**
 * The generic, typed BPF layer: everything the XMasq domain layer needs from eBPF, over the {@code LibBpf} boundary.
 *
 * <ul>
 *   <li>{@link org.xmasq.bpf.BpfObjectSpec} — an object opened from its ELF bytes but not loaded: maps and programs
 *       it declares, map sizes, pin paths and .rodata set before {@link org.xmasq.bpf.BpfObjectSpec#load()}.</li>
 *   <li>{@link org.xmasq.bpf.BpfObject} — the loaded object; typed {@link org.xmasq.bpf.BpfMap} /
 *       {@link org.xmasq.bpf.PerCpuMap} handles built from one {@link org.xmasq.bpf.Codec} per C type (sizes and
 *       kind checked when the handle is made) and {@link org.xmasq.bpf.BpfProgram}s.</li>
 *   <li>{@link org.xmasq.bpf.Tc} — attaches a program as a {@link org.xmasq.bpf.TcxLink} where the kernel has tcx,
 *       as a {@link org.xmasq.bpf.ClsactFilter} otherwise, without disturbing what else is on the interface.</li>
 * </ul>
 *
 * Missing keys are {@code Optional.empty()} or {@code false}; every other failure is a
 * {@link org.xmasq.libbpf.BpfException} naming the operation. Everything owning a kernel resource is
 * {@link java.lang.AutoCloseable}. The backend is {@link org.xmasq.libbpf.LibBpfs#get()} unless a {@code LibBpf} is
 * passed explicitly (for example the in-memory fake of xmasq-native's test-jar in unit tests).
 */
package org.xmasq.bpf;
