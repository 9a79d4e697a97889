/* SPDX-License-Identifier: MIT */
/* The compiled BPF object (task-iter.bpf.c), embedded in the library as
 * read-only data: libbpf opens it from memory (bpf_object__open_mem), so
 * nothing is installed beside the programs. The Makefile passes the
 * object's path as TASK_ITER_BPF_OBJ. */
        .section .rodata.hardend_task_iter_bpf, "a"
        .balign 8
        .globl hardend_task_iter_bpf
        .type hardend_task_iter_bpf, @object
hardend_task_iter_bpf:
        .incbin TASK_ITER_BPF_OBJ
        .globl hardend_task_iter_bpf_end
        .type hardend_task_iter_bpf_end, @object
hardend_task_iter_bpf_end:
        .size hardend_task_iter_bpf, hardend_task_iter_bpf_end - hardend_task_iter_bpf

        .section .note.GNU-stack, "", @progbits
