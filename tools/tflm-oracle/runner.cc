// tflm-run: runs a .tflite model through TensorFlow Lite Micro's reference kernels on the host.
// Part of the TFLM oracle (tools/tflm-oracle/, see README.md there); never part of tinygen.
//
//   tflm-run MODEL.tflite INPUTS.bin OUTPUTS.bin
//   tflm-run --version
//
// INPUTS.bin holds zero or more records back to back. A record is the raw bytes of every input
// tensor of subgraph 0, in input order, concatenated; its size is the sum of the inputs' byte
// sizes and the file's length must be a multiple of it. For each record the runner copies it
// into the input tensors, calls Invoke() and appends the raw bytes of every output tensor, in
// output order, to OUTPUTS.bin. Records run one after another on one interpreter, as on a device
// (a model with state keeps it from one record to the next). A model without inputs is invoked
// once, and then INPUTS.bin must be empty. "-" reads stdin / writes stdout.
//
// Exit codes: 0 success; 2 usage or I/O error; 3 TFLM refuses the model (not a readable model,
// schema version, AllocateTensors() or Invoke() fails), with TFLM's log on stderr, one message a
// line. OUTPUTS.bin is written only on success.

#include <cerrno>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include <unistd.h>

#include "flatbuffers/verifier.h"
#include "oracle_version.h"
#include "tensorflow/lite/micro/debug_log.h"
#include "tensorflow/lite/micro/micro_interpreter.h"
#include "tensorflow/lite/micro/micro_log.h"
#include "tensorflow/lite/micro/micro_mutable_op_resolver.h"
#include "tensorflow/lite/schema/schema_generated.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRefused = 3;

constexpr size_t kArenaSize = 64u << 20;  // 64 MiB
alignas(16) uint8_t g_arena[kArenaSize];

// ---- logging: TFLM's DebugLog() for this "platform". MicroPrintf writes the message, then
// "\r\n"; many messages also end in "\n" themselves. Everything goes to stderr with '\r'
// dropped, trailing blanks trimmed and empty lines skipped, so each message is one line.
std::string g_pending;

void EmitLine() {
  size_t end = g_pending.size();
  while (end > 0 && (g_pending[end - 1] == ' ' || g_pending[end - 1] == '\t')) --end;
  if (end > 0) {
    fwrite(g_pending.data(), 1, end, stderr);
    fputc('\n', stderr);
  }
  g_pending.clear();
}

void FlushLog() {
  EmitLine();
  fflush(stderr);
}

void AppendLog(const char* text, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    const char c = text[i];
    if (c == '\r') continue;
    if (c == '\n') {
      EmitLine();
    } else {
      g_pending.push_back(c);
    }
  }
}

// The runner's own messages, prefixed so they are not mistaken for TFLM's.
void Say(const char* format, ...) {
  FlushLog();
  fputs("tflm-run: ", stderr);
  va_list args;
  va_start(args, format);
  vfprintf(stderr, format, args);
  va_end(args);
  fputc('\n', stderr);
  fflush(stderr);
}

bool ReadFile(const char* path, std::vector<uint8_t>* out) {
  FILE* f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
  if (f == nullptr) {
    Say("cannot open %s: %s", path, strerror(errno));
    return false;
  }
  out->clear();
  uint8_t buf[1 << 16];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, f)) > 0) out->insert(out->end(), buf, buf + n);
  const bool failed = ferror(f) != 0;
  if (f != stdin) fclose(f);
  if (failed) {
    Say("cannot read %s", path);
    return false;
  }
  return true;
}

void Usage() {
  fputs(
      "usage: tflm-run MODEL.tflite INPUTS.bin OUTPUTS.bin\n"
      "       tflm-run --version\n"
      "INPUTS.bin: records back to back, each the raw bytes of every input tensor in order.\n"
      "OUTPUTS.bin: per record, the raw bytes of every output tensor in order.\n"
      "Exit: 0 ok, 2 usage/IO error, 3 TFLM refuses the model (its log on stderr).\n",
      stderr);
}

void PrintVersion() {
  printf("tflm-run (tinygen TFLM oracle: TFLM reference kernels, host build)\n");
  printf("tflite-micro %s\n", TFLM_ORACLE_TFLM_COMMIT);
  printf("gemmlowp %s\n", TFLM_ORACLE_GEMMLOWP_COMMIT);
  printf("flatbuffers %s (%s) + TFLM flatbuffers.patch (sha256 %s...)\n",
         TFLM_ORACLE_FLATBUFFERS_COMMIT, TFLM_ORACLE_FLATBUFFERS_REF,
         TFLM_ORACLE_FLATBUFFERS_PATCH_SHA256_16);
  printf("ruy: no-op profiler stub\n");
  printf("arena %zu bytes\n", kArenaSize);
  printf("cxxflags %s\n", TFLM_ORACLE_CXXFLAGS);
}

using Resolver = tflite::MicroMutableOpResolver<160>;

// Every op MicroMutableOpResolver offers at this commit, except the Signal* custom ops of
// signal/ (not built: they need kissfft). EthosU registers nothing on the host.
bool RegisterOps(Resolver* r) {
  const TfLiteStatus s[] = {
      r->AddAbs(), r->AddAdd(), r->AddAddN(), r->AddArgMax(), r->AddArgMin(),
      r->AddAssignVariable(), r->AddAveragePool2D(), r->AddBatchMatMul(),
      r->AddBatchToSpaceNd(), r->AddBroadcastArgs(), r->AddBroadcastTo(), r->AddCallOnce(),
      r->AddCast(), r->AddCeil(), r->AddCircularBuffer(), r->AddConcatenation(),
      r->AddConv2D(), r->AddCos(), r->AddCumSum(), r->AddDecode(), r->AddDepthToSpace(),
      r->AddDepthwiseConv2D(), r->AddDequantize(), r->AddDetectionPostprocess(), r->AddDiv(),
      r->AddDynamicUpdateSlice(), r->AddEmbeddingLookup(), r->AddElu(), r->AddEqual(),
      r->AddEthosU(), r->AddExp(), r->AddExpandDims(), r->AddFill(), r->AddFloor(),
      r->AddFloorDiv(), r->AddFloorMod(), r->AddFullyConnected(), r->AddGather(),
      r->AddGatherNd(), r->AddGreater(), r->AddGreaterEqual(), r->AddHardSwish(), r->AddIf(),
      r->AddL2Normalization(), r->AddL2Pool2D(), r->AddLeakyRelu(), r->AddLess(),
      r->AddLessEqual(), r->AddLog(), r->AddLogicalAnd(), r->AddLogicalNot(),
      r->AddLogicalOr(), r->AddLogistic(), r->AddLogSoftmax(), r->AddMaximum(),
      r->AddMaxPool2D(), r->AddMirrorPad(), r->AddMean(), r->AddMinimum(), r->AddMul(),
      r->AddNeg(), r->AddNotEqual(), r->AddPack(), r->AddPad(), r->AddPadV2(), r->AddPrelu(),
      r->AddQuantize(), r->AddReadVariable(), r->AddReduceAll(), r->AddReduceMax(),
      r->AddReduceMin(), r->AddRelu(), r->AddRelu6(), r->AddReshape(), r->AddResizeBilinear(),
      r->AddResizeNearestNeighbor(), r->AddReverseV2(), r->AddRound(), r->AddRsqrt(),
      r->AddSelectV2(), r->AddShape(), r->AddSin(), r->AddSlice(), r->AddSoftmax(),
      r->AddSpaceToBatchNd(), r->AddSpaceToDepth(), r->AddSplit(), r->AddSplitV(),
      r->AddSqueeze(), r->AddSqrt(), r->AddSquare(), r->AddSquaredDifference(),
      r->AddStridedSlice(), r->AddSub(), r->AddSum(), r->AddSvdf(), r->AddTanh(),
      r->AddTransposeConv(), r->AddTranspose(), r->AddUnpack(),
      r->AddUnidirectionalSequenceLSTM(), r->AddVarHandle(), r->AddWhile(), r->AddZerosLike(),
  };
  for (TfLiteStatus st : s) {
    if (st != kTfLiteOk) return false;
  }
  return true;
}

class Output {
 public:
  explicit Output(const char* path) : path_(path) {}
  bool Open() {
    if (strcmp(path_, "-") == 0) {
      f_ = stdout;
      return true;
    }
    tmp_ = std::string(path_) + ".tmp." + std::to_string(getpid());
    f_ = fopen(tmp_.c_str(), "wb");
    if (f_ == nullptr) Say("cannot create %s: %s", tmp_.c_str(), strerror(errno));
    return f_ != nullptr;
  }
  bool Write(const void* p, size_t n) {
    if (n == 0 || fwrite(p, 1, n, f_) == n) return true;
    Say("cannot write %s: %s", path_, strerror(errno));
    return false;
  }
  bool Commit() {
    if (f_ == stdout) return fflush(stdout) == 0;
    FILE* f = f_;
    f_ = nullptr;
    if (fclose(f) != 0 || rename(tmp_.c_str(), path_) != 0) {
      Say("cannot write %s: %s", path_, strerror(errno));
      remove(tmp_.c_str());
      return false;
    }
    return true;
  }
  ~Output() {
    if (f_ != nullptr && f_ != stdout) {
      fclose(f_);
      remove(tmp_.c_str());
    }
  }

 private:
  const char* path_;
  std::string tmp_;
  FILE* f_ = nullptr;
};

int Run(const char* model_path, const char* inputs_path, const char* outputs_path) {
  // The model must stay put and aligned for the interpreter's lifetime.
  std::vector<uint8_t> file;
  if (!ReadFile(model_path, &file)) return kExitUsage;
  const size_t model_size = file.size();
  uint8_t* model_buf = static_cast<uint8_t*>(aligned_alloc(16, (model_size + 15) & ~size_t{15}));
  if (model_buf == nullptr && model_size > 0) {
    Say("out of memory");
    return kExitUsage;
  }
  if (model_size > 0) memcpy(model_buf, file.data(), model_size);
  std::vector<uint8_t>().swap(file);

  std::vector<uint8_t> inputs;
  if (!ReadFile(inputs_path, &inputs)) return kExitUsage;

  // TFLM reads the flatbuffer without checking it; a malformed file would make it read out of
  // bounds. The flatbuffers verifier (structure only: no file identifier, no alignment check)
  // turns that into a refusal.
  {
    flatbuffers::Verifier::Options opts;
    opts.max_depth = 128;
    opts.max_tables = 100000000;
    opts.check_alignment = false;
    flatbuffers::Verifier verifier(model_buf, model_size, opts);
    if (model_size < 8 || !verifier.VerifyBuffer<tflite::Model>(nullptr)) {
      Say("%s is not a valid TFLite flatbuffer (flatbuffers::Verifier rejects it)", model_path);
      return kExitRefused;
    }
  }
  const tflite::Model* model = tflite::GetModel(model_buf);
  if (model->version() != TFLITE_SCHEMA_VERSION) {
    MicroPrintf("Model provided is schema version %d not equal to supported version %d.",
                static_cast<int>(model->version()), TFLITE_SCHEMA_VERSION);
    FlushLog();
    return kExitRefused;
  }

  static Resolver resolver;
  if (!RegisterOps(&resolver)) {
    Say("internal error: registering the ops failed");
    return kExitUsage;
  }

  tflite::MicroInterpreter interp(model, resolver, g_arena, kArenaSize);
  tflite::MicroInterpreter* interpreter = &interp;
  if (interpreter->AllocateTensors() != kTfLiteOk) {
    FlushLog();
    Say("AllocateTensors() failed");
    return kExitRefused;
  }

  const size_t n_in = interpreter->inputs_size();
  const size_t n_out = interpreter->outputs_size();
  size_t record = 0;
  for (size_t i = 0; i < n_in; ++i) {
    const TfLiteTensor* t = interpreter->input(i);
    if (t == nullptr) {
      FlushLog();
      Say("input %zu is not available", i);
      return kExitRefused;
    }
    record += t->bytes;
  }
  for (size_t i = 0; i < n_out; ++i) {
    if (interpreter->output(i) == nullptr) {
      FlushLog();
      Say("output %zu is not available", i);
      return kExitRefused;
    }
  }

  size_t n_records;
  if (record == 0) {
    if (!inputs.empty()) {
      Say("the model's inputs take 0 bytes but %s holds %zu", inputs_path, inputs.size());
      return kExitUsage;
    }
    n_records = 1;
  } else {
    if (inputs.size() % record != 0) {
      Say("%s holds %zu bytes, not a multiple of the record size %zu (the sum of the %zu "
          "input tensors' sizes)",
          inputs_path, inputs.size(), record, n_in);
      return kExitUsage;
    }
    n_records = inputs.size() / record;
  }

  Output out(outputs_path);
  if (!out.Open()) return kExitUsage;
  for (size_t r = 0; r < n_records; ++r) {
    const uint8_t* p = inputs.data() + r * record;
    for (size_t i = 0; i < n_in; ++i) {
      TfLiteTensor* t = interpreter->input(i);
      if (t->bytes > 0) memcpy(t->data.raw, p, t->bytes);
      p += t->bytes;
    }
    if (interpreter->Invoke() != kTfLiteOk) {
      FlushLog();
      Say("Invoke() failed on record %zu", r);
      return kExitRefused;
    }
    for (size_t i = 0; i < n_out; ++i) {
      const TfLiteTensor* t = interpreter->output(i);
      if (!out.Write(t->data.raw, t->bytes)) return kExitUsage;
    }
  }
  if (!out.Commit()) return kExitUsage;
  FlushLog();  // anything TFLM logged without failing
  return kExitOk;
}

}  // namespace

// The platform's DebugLog for TFLM (replaces tensorflow/lite/micro/debug_log.cc).
extern "C" void DebugLog(const char* format, va_list args) {
  va_list copy;
  va_copy(copy, args);
  char small[512];
  const int n = vsnprintf(small, sizeof small, format, copy);
  va_end(copy);
  if (n < 0) return;
  if (static_cast<size_t>(n) < sizeof small) {
    AppendLog(small, static_cast<size_t>(n));
    return;
  }
  std::vector<char> big(static_cast<size_t>(n) + 1);
  vsnprintf(big.data(), big.size(), format, args);
  AppendLog(big.data(), static_cast<size_t>(n));
}

extern "C" int DebugVsnprintf(char* buffer, size_t buf_size, const char* format,
                              va_list vlist) {
  return vsnprintf(buffer, buf_size, format, vlist);
}

int main(int argc, char** argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    PrintVersion();
    return kExitOk;
  }
  if (argc == 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
    Usage();
    return kExitOk;
  }
  if (argc != 4) {
    Usage();
    return kExitUsage;
  }
  const int rc = Run(argv[1], argv[2], argv[3]);
  FlushLog();
  return rc;
}
