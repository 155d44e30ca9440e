/*
 * The contract between the validation harness (main.c on the boards, host_main.c on the host) and
 * the adapter tinygen generates per model (harness_model.c). The harness itself knows nothing of
 * the model, so it is compiled once per board and flags and cached.
 */
#ifndef HARNESS_MODEL_H
#define HARNESS_MODEL_H

/* One inference record: every input's bytes, in order; then every output's. */
extern unsigned char harness_input_record[];
extern unsigned char harness_output_record[];
extern const unsigned long harness_input_bytes;
extern const unsigned long harness_output_bytes;

/* Runs the model on harness_input_record into harness_output_record; 0 on success. */
int harness_run(void);

#endif /* HARNESS_MODEL_H */
