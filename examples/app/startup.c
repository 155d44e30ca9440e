/*
 * The user's own startup for an Arm MPS2 AN386 (Cortex-M4F) under QEMU: a vector table, a reset
 * handler that copies .data, zeroes .bss and enables the FPU, and a console. No C library start-up
 * files are linked. The console and the exit use Arm semihosting, which QEMU implements
 * (-semihosting); on a real board, console_write would drive a UART and the exit would be a loop.
 */
#include <stdint.h>

#include "console.h"

extern uint32_t _estack, _sidata, _sdata, _edata, _sbss, _ebss;
int main(void);

static int semihost(int operation, const void *argument)
{
    register int r0 __asm__("r0") = operation;
    register const void *r1 __asm__("r1") = argument;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void console_write(const char *text)
{
    semihost(0x04, text); /* SYS_WRITE0 */
}

static void exit_with(int status)
{
    const uint32_t block[2] = { 0x20026u, (uint32_t)status }; /* ADP_Stopped_ApplicationExit */
    semihost(0x20, block);                                   /* SYS_EXIT_EXTENDED */
    for (;;) {
    }
}

void Reset_Handler(void)
{
    const uint32_t *from = &_sidata;
    for (uint32_t *to = &_sdata; to < &_edata;) *to++ = *from++;
    for (uint32_t *to = &_sbss; to < &_ebss;) *to++ = 0;
#if defined(__ARM_FP)
    /* Full access to coprocessors 10 and 11 (the FPU) before any float instruction runs. */
    *(volatile uint32_t *)0xE000ED88u |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    exit_with(main());
}

static void Fault_Handler(void)
{
    console_write("fault\n");
    exit_with(99);
}

__attribute__((section(".isr_vector"), used)) static void (*const vectors[4])(void) = {
    (void (*)(void))(uintptr_t)&_estack,
    Reset_Handler,
    Fault_Handler, /* NMI */
    Fault_Handler, /* HardFault */
};
