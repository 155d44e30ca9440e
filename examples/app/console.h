/* Text out and exit, from startup.c: Arm semihosting here, for QEMU; on a real board, a UART. */
#ifndef CONSOLE_H
#define CONSOLE_H

void console_write(const char *text);

#endif
