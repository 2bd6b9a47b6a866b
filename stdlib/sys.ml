(* sys.ml — module Sys: the system interface, the part of OCaml 4.13's
   stdlib/sys.ml that natml's runtime provides (sys.c, stack.c). Sizes are
   those of a 64-bit OCaml; natml has no flat float arrays. *)

external get_argv : unit -> string array = "nml_sys_argv"

let argv = get_argv ()
let executable_name = if Array.length argv > 0 then argv.(0) else ""

type backend_type =
  | Native
  | Bytecode
  | Other of string

let backend_type = Native
let os_type = "Unix"
let unix = true
let win32 = false
let cygwin = false
let word_size = 64
let int_size = 63
let big_endian = false
let max_string_length = (1 lsl 57) - 9
let max_array_length = (1 lsl 54) - 1
let max_floatarray_length = (1 lsl 54) - 1
let ocaml_version = "4.13.1"
let interactive = ref false

external getenv : string -> string = "nml_sys_getenv"

let getenv_opt s = try Some (getenv s) with Not_found -> None

external time : unit -> float = "nml_sys_time"
external file_exists : string -> bool = "nml_sys_file_exists"
external remove : string -> unit = "nml_sys_remove"
external rename : string -> string -> unit = "nml_sys_rename"
external command : string -> int = "nml_sys_command"
external opaque_identity : 'a -> 'a = "%identity"

exception Break
let () = register_runtime_exn "Break" Break

external catch_break_prim : bool -> unit = "nml_sys_catch_break"

let catch_break on = catch_break_prim on
