(* stdlib.ml — module Stdlib, opened by default in every program: OCaml
   4.13's pervasive values, written over the compiler's %-primitives
   (compiler/prims.def) and the runtime's C primitives
   (runtime/primitives.def). The basic types (int, float, string, list,
   option, exn...) and the predefined exceptions (Failure, Not_found...)
   come from the type checker, as in OCaml. *)

(* Exceptions *)

external raise : exn -> 'a = "%raise"
external raise_notrace : exn -> 'a = "%raise_notrace"

let failwith s = raise (Failure s)
let invalid_arg s = raise (Invalid_argument s)

exception Exit

(* The runtime raises this very Exit (and Sys.Break on Ctrl-C). *)
external register_runtime_exn : string -> exn -> unit = "nml_register_exn"
let () = register_runtime_exn "Exit" Exit

(* Comparisons *)

external ( = ) : 'a -> 'a -> bool = "%equal"
external ( <> ) : 'a -> 'a -> bool = "%notequal"
external ( < ) : 'a -> 'a -> bool = "%lessthan"
external ( > ) : 'a -> 'a -> bool = "%greaterthan"
external ( <= ) : 'a -> 'a -> bool = "%lessequal"
external ( >= ) : 'a -> 'a -> bool = "%greaterequal"
external compare : 'a -> 'a -> int = "%compare"

let min x y = if x <= y then x else y
let max x y = if x >= y then x else y

external ( == ) : 'a -> 'a -> bool = "%eq"
external ( != ) : 'a -> 'a -> bool = "%noteq"

(* Boolean operations *)

external not : bool -> bool = "%boolnot"
external ( & ) : bool -> bool -> bool = "%sequand"
external ( && ) : bool -> bool -> bool = "%sequand"
external ( or ) : bool -> bool -> bool = "%sequor"
external ( || ) : bool -> bool -> bool = "%sequor"

(* Composition operators *)

external ( |> ) : 'a -> ('a -> 'b) -> 'b = "%revapply"
external ( @@ ) : ('a -> 'b) -> 'a -> 'b = "%apply"

(* Integer operations *)

external ( ~- ) : int -> int = "%negint"
external ( ~+ ) : int -> int = "%identity"
external succ : int -> int = "%succint"
external pred : int -> int = "%predint"
external ( + ) : int -> int -> int = "%addint"
external ( - ) : int -> int -> int = "%subint"
external ( * ) : int -> int -> int = "%mulint"
external ( / ) : int -> int -> int = "%divint"
external ( mod ) : int -> int -> int = "%modint"

let abs x = if x >= 0 then x else -x

external ( land ) : int -> int -> int = "%andint"
external ( lor ) : int -> int -> int = "%orint"
external ( lxor ) : int -> int -> int = "%xorint"

let lnot x = x lxor (-1)

external ( lsl ) : int -> int -> int = "%lslint"
external ( lsr ) : int -> int -> int = "%lsrint"
external ( asr ) : int -> int -> int = "%asrint"

let max_int = (-1) lsr 1
let min_int = max_int + 1

(* Floating-point operations *)

external ( ~-. ) : float -> float = "%negfloat"
external ( ~+. ) : float -> float = "%identity"
external ( +. ) : float -> float -> float = "%addfloat"
external ( -. ) : float -> float -> float = "%subfloat"
external ( *. ) : float -> float -> float = "%mulfloat"
external ( /. ) : float -> float -> float = "%divfloat"
external ( ** ) : float -> float -> float = "nml_float_pow"
external sqrt : float -> float = "nml_float_sqrt"
external exp : float -> float = "nml_float_exp"
external log : float -> float = "nml_float_log"
external log10 : float -> float = "nml_float_log10"
external expm1 : float -> float = "nml_float_expm1"
external log1p : float -> float = "nml_float_log1p"
external cos : float -> float = "nml_float_cos"
external sin : float -> float = "nml_float_sin"
external tan : float -> float = "nml_float_tan"
external acos : float -> float = "nml_float_acos"
external asin : float -> float = "nml_float_asin"
external atan : float -> float = "nml_float_atan"
external atan2 : float -> float -> float = "nml_float_atan2"
external hypot : float -> float -> float = "nml_float_hypot"
external cosh : float -> float = "nml_float_cosh"
external sinh : float -> float = "nml_float_sinh"
external tanh : float -> float = "nml_float_tanh"
external acosh : float -> float = "nml_float_acosh"
external asinh : float -> float = "nml_float_asinh"
external atanh : float -> float = "nml_float_atanh"
external ceil : float -> float = "nml_float_ceil"
external floor : float -> float = "nml_float_floor"
external abs_float : float -> float = "%absfloat"
external copysign : float -> float -> float = "nml_float_copysign"
external mod_float : float -> float -> float = "nml_float_fmod"
external frexp : float -> float * int = "nml_float_frexp"
external ldexp : float -> int -> float = "nml_float_ldexp"
external modf : float -> float * float = "nml_float_modf"
external float : int -> float = "%floatofint"
external float_of_int : int -> float = "%floatofint"
external truncate : float -> int = "%intoffloat"
external int_of_float : float -> int = "%intoffloat"

external float_of_string : string -> float = "nml_float_of_string"

let infinity = 1. /. 0.
let neg_infinity = -1. /. 0.
(* A nan with the sign bit clear, so that it prints as "nan". *)
let nan = float_of_string "nan"
let max_float = float_of_string "0x1.fffffffffffffp+1023"
let min_float = float_of_string "0x1p-1022"
let epsilon_float = float_of_string "0x1p-52"

type fpclass =
    FP_normal
  | FP_subnormal
  | FP_zero
  | FP_infinite
  | FP_nan

external classify_float : float -> fpclass = "nml_float_classify"

(* String and character operations *)

external ( ^ ) : string -> string -> string = "nml_string_concat"

external int_of_char : char -> int = "%identity"
external unsafe_char_of_int : int -> char = "%identity"

let char_of_int n =
  if n < 0 || n > 255 then invalid_arg "char_of_int" else unsafe_char_of_int n

(* Unit operations *)

external ignore : 'a -> unit = "%ignore"

(* Pair operations *)

external fst : 'a * 'b -> 'a = "%field0"
external snd : 'a * 'b -> 'b = "%field1"

(* String conversion functions *)

let string_of_bool b = if b then "true" else "false"

let bool_of_string s =
  match s with
  | "true" -> true
  | "false" -> false
  | _ -> invalid_arg "bool_of_string"

let bool_of_string_opt s =
  match s with
  | "true" -> Some true
  | "false" -> Some false
  | _ -> None

external string_of_int : int -> string = "nml_string_of_int"
external int_of_string : string -> int = "nml_int_of_string"

let int_of_string_opt s =
  try Some (int_of_string s) with Failure _ -> None

external string_of_float : float -> string = "nml_string_of_float"

let float_of_string_opt s =
  try Some (float_of_string s) with Failure _ -> None

(* List operations -- more in module List *)

let rec ( @ ) l1 l2 =
  match l1 with
  | [] -> l2
  | hd :: tl -> hd :: (tl @ l2)

(* I/O operations *)

type in_channel
type out_channel

external stdin_channel : unit -> in_channel = "nml_io_stdin"
external stdout_channel : unit -> out_channel = "nml_io_stdout"
external stderr_channel : unit -> out_channel = "nml_io_stderr"

let stdin = stdin_channel ()
let stdout = stdout_channel ()
let stderr = stderr_channel ()

(* Output functions on standard output and standard error *)

external print_char : char -> unit = "nml_print_char"
external print_string : string -> unit = "nml_print_string"
external print_bytes : bytes -> unit = "nml_print_string"
external print_int : int -> unit = "nml_print_int"
external print_float : float -> unit = "nml_print_float"
external print_endline : string -> unit = "nml_print_endline"
external print_newline : unit -> unit = "nml_print_newline"

external prerr_char : char -> unit = "nml_prerr_char"
external prerr_string : string -> unit = "nml_prerr_string"
external prerr_bytes : bytes -> unit = "nml_prerr_string"
external prerr_int : int -> unit = "nml_prerr_int"
external prerr_float : float -> unit = "nml_prerr_float"
external prerr_endline : string -> unit = "nml_prerr_endline"
external prerr_newline : unit -> unit = "nml_prerr_newline"

(* General output functions *)

type open_flag =
    Open_rdonly | Open_wronly | Open_append
  | Open_creat | Open_trunc | Open_excl
  | Open_binary | Open_text | Open_nonblock

external open_out : string -> out_channel = "nml_io_open_out"
external open_out_bin : string -> out_channel = "nml_io_open_out"
external open_out_append : string -> out_channel = "nml_io_open_out_append"

let open_out_gen mode perm name =
  ignore perm;
  let rec appends l =
    match l with
    | [] -> false
    | Open_append :: _ -> true
    | _ :: rest -> appends rest
  in
  if appends mode then open_out_append name else open_out name

external flush : out_channel -> unit = "nml_io_flush"
external flush_all : unit -> unit = "nml_io_flush_all"
external output_char : out_channel -> char -> unit = "nml_io_output_char"
external output_string : out_channel -> string -> unit = "nml_io_output_string"
external output_bytes : out_channel -> bytes -> unit = "nml_io_output_string"

external bytes_length : bytes -> int = "%bytes_length"
external string_length : string -> int = "%string_length"
external unsafe_output :
  out_channel -> bytes -> int -> int -> unit = "nml_io_output_substring"
external unsafe_output_string :
  out_channel -> string -> int -> int -> unit = "nml_io_output_substring"

let output oc s ofs len =
  if ofs < 0 || len < 0 || ofs > bytes_length s - len
  then invalid_arg "output"
  else unsafe_output oc s ofs len

let output_substring oc s ofs len =
  if ofs < 0 || len < 0 || ofs > string_length s - len
  then invalid_arg "output_substring"
  else unsafe_output_string oc s ofs len

let output_byte oc n = output_char oc (unsafe_char_of_int (n land 255))

external close_out : out_channel -> unit = "nml_io_close_out"

let close_out_noerr oc =
  (try flush oc with _ -> ());
  (try close_out oc with _ -> ())

let set_binary_mode_out oc b = ignore oc; ignore b

(* General input functions *)

external open_in : string -> in_channel = "nml_io_open_in"
external open_in_bin : string -> in_channel = "nml_io_open_in"

let open_in_gen mode perm name = ignore mode; ignore perm; open_in name

external input_char : in_channel -> char = "nml_io_input_char"
external input_line : in_channel -> string = "nml_io_input_line"
external unsafe_input : in_channel -> bytes -> int -> int -> int = "nml_io_input"

let input ic s ofs len =
  if ofs < 0 || len < 0 || ofs > bytes_length s - len
  then invalid_arg "input"
  else unsafe_input ic s ofs len

let rec unsafe_really_input ic s ofs len =
  if len <= 0 then () else begin
    let r = unsafe_input ic s ofs len in
    if r = 0
    then raise End_of_file
    else unsafe_really_input ic s (ofs + r) (len - r)
  end

let really_input ic s ofs len =
  if ofs < 0 || len < 0 || ofs > bytes_length s - len
  then invalid_arg "really_input"
  else unsafe_really_input ic s ofs len

external bytes_create : int -> bytes = "nml_bytes_create"
external bytes_unsafe_to_string : bytes -> string = "%identity"

let really_input_string ic len =
  let s = bytes_create len in
  really_input ic s 0 len;
  bytes_unsafe_to_string s

let input_byte ic = int_of_char (input_char ic)

external close_in : in_channel -> unit = "nml_io_close_in"

let close_in_noerr ic = (try close_in ic with _ -> ())
let set_binary_mode_in ic b = ignore ic; ignore b

(* Input functions on standard input *)

external read_line : unit -> string = "nml_read_line"

let read_int () = int_of_string (read_line ())
let read_int_opt () = int_of_string_opt (read_line ())
let read_float () = float_of_string (read_line ())
let read_float_opt () = float_of_string_opt (read_line ())

(* References *)

type 'a ref = { mutable contents : 'a }

external ref : 'a -> 'a ref = "%makemutable"
external ( ! ) : 'a ref -> 'a = "%field0"
external ( := ) : 'a ref -> 'a -> unit = "%setfield0"
external incr : int ref -> unit = "%incr"
external decr : int ref -> unit = "%decr"

(* Result type *)

type ('a, 'b) result = Ok of 'a | Error of 'b

(* Formats: a format is its string at run time (see printf.ml). *)

type ('a, 'b, 'c, 'd, 'e, 'f) format6 =
  ('a, 'b, 'c, 'd, 'e, 'f) CamlinternalFormatBasics.format6
type ('a, 'b, 'c, 'd) format4 = ('a, 'b, 'c, 'c, 'c, 'd) format6
type ('a, 'b, 'c) format = ('a, 'b, 'c, 'c) format4

external format_to_string : ('a, 'b, 'c, 'd, 'e, 'f) format6 -> string = "%identity"
external string_to_format : string -> ('a, 'b, 'c, 'd, 'e, 'f) format6 = "%identity"

let string_of_format (fmt : ('a, 'b, 'c, 'd, 'e, 'f) format6) = format_to_string fmt

external format_of_string :
  ('a, 'b, 'c, 'd, 'e, 'f) format6 -> ('a, 'b, 'c, 'd, 'e, 'f) format6 = "%identity"

let ( ^^ ) (fmt1 : ('a, 'b, 'c, 'd, 'e, 'f) format6)
    (fmt2 : ('f, 'b, 'c, 'e, 'g, 'h) format6) : ('a, 'b, 'c, 'd, 'g, 'h) format6 =
  string_to_format (format_to_string fmt1 ^ "%," ^ format_to_string fmt2)

(* Miscellaneous *)

let flush_std_buffers () =
  (try flush stdout with _ -> ());
  (try flush stderr with _ -> ())

(* at_exit functions run last registered first, then the buffers flush. *)
let exit_function = { contents = flush_std_buffers }

let at_exit f =
  let old_exit = exit_function.contents in
  exit_function.contents <- (fun () -> f (); old_exit ())

let do_at_exit () = exit_function.contents ()

external sys_exit : int -> 'a = "nml_sys_exit"

let exit retcode =
  do_at_exit ();
  sys_exit retcode
