# tinygen for CMake projects.
#
#   include(<tinygen>/cmake/tinygen.cmake)
#   tinygen_add_models(OUTPUT <folder> MODELS <model files...>
#                      [OPTIONS <tinygen compile flags...>] [COMMAND <tinygen command...>])
#
# Runs `tinygen compile` when CMake configures (and again whenever a model file changes), then
# defines one static library per model, tinygen_<name>, with its include folders, linking
# tinygen_kernels: the kernel sources the models call into. Link your firmware against the model
# libraries and compile it with the same CPU flags (CMAKE_C_FLAGS or your toolchain file).
# COMMAND defaults to `tinygen` (for a clone: node <clone>/bin/tinygen.js). Sets TINYGEN_MODELS
# in the caller's scope: the model names, in the order given.
function(tinygen_add_models)
  cmake_parse_arguments(TG "" "OUTPUT" "MODELS;OPTIONS;COMMAND" ${ARGN})
  if(NOT TG_OUTPUT OR NOT TG_MODELS)
    message(FATAL_ERROR "tinygen_add_models: OUTPUT and MODELS are required")
  endif()
  if(NOT TG_COMMAND)
    set(TG_COMMAND tinygen)
  endif()
  get_filename_component(output "${TG_OUTPUT}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_BINARY_DIR}")
  set(models "")
  foreach(model IN LISTS TG_MODELS)
    get_filename_component(model "${model}" ABSOLUTE)
    list(APPEND models "${model}")
  endforeach()

  # A fresh folder each time, so no file of an earlier model set lingers.
  file(REMOVE_RECURSE "${output}")
  execute_process(
    COMMAND ${TG_COMMAND} compile ${models} -o "${output}" ${TG_OPTIONS} --json
    OUTPUT_VARIABLE summary
    ERROR_VARIABLE errors
    RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "tinygen compile failed (${status}): ${errors}")
  endif()
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${models})

  # One model: the summary is that model's; several: { models: [...], kernels: [...] }.
  string(JSON several ERROR_VARIABLE not_several GET "${summary}" models)
  set(names "")
  if(not_several)
    string(JSON name GET "${summary}" name)
    list(APPEND names "${name}")
  else()
    string(JSON count LENGTH "${summary}" models)
    math(EXPR last "${count} - 1")
    foreach(i RANGE ${last})
      string(JSON name GET "${summary}" models ${i} name)
      list(APPEND names "${name}")
    endforeach()
  endif()

  # The models share one kernel library: every model goes in one call.
  if(TARGET tinygen_kernels)
    message(FATAL_ERROR "tinygen_add_models: call it once, with every model of the firmware (they share one kernel library)")
  endif()
  file(GLOB kernel_sources "${output}/tinygen/*.c")
  if(kernel_sources)
    add_library(tinygen_kernels STATIC ${kernel_sources})
    target_include_directories(tinygen_kernels PUBLIC "${output}/tinygen")
  else()
    add_library(tinygen_kernels INTERFACE)
    target_include_directories(tinygen_kernels INTERFACE "${output}/tinygen")
  endif()
  foreach(name IN LISTS names)
    add_library(tinygen_${name} STATIC "${output}/${name}.c")
    target_include_directories(tinygen_${name} PUBLIC "${output}")
    target_link_libraries(tinygen_${name} PUBLIC tinygen_kernels)
  endforeach()
  set(TINYGEN_MODELS ${names} PARENT_SCOPE)
endfunction()
