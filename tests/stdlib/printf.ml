(* Printf: every t3 conversion, flag, width and precision against the
   output of OCaml 4.13. *)
let eq a b = if a <> b then (prerr_endline ("got " ^ a ^ ", want " ^ b); assert false)

let () =
  let sp = Printf.sprintf in
  eq (sp "%d|%i|%u" 42 (-42) 42) "42|-42|42";
  eq (sp "%x|%X|%o|%#x|%#X|%#o" 255 255 8 255 255 8) "ff|FF|10|0xff|0XFF|010";
  eq (sp "%5d|%-5d|%05d|%+d|% d" 42 42 42 42 42) "   42|42   |00042|+42| 42";
  eq (sp "%.3d|%8.3d|%08.3d" 7 (-7) 7) "007|    -007|     007";
  eq (sp "%#d" 1234567) "1_234_567";
  eq (sp "%d" min_int) "-4611686018427387904";
  eq (sp "%x" (-1)) "7fffffffffffffff";
  eq (sp "%f|%.2f|%.0f|%.0f" 3.14159 2.71828 2.5 3.5) "3.141590|2.72|2|4";
  eq (sp "%10.4f|%-8.1f|%08.2f|%+.1f" (-1.5) 2.25 (-3.14159) 1.0) "   -1.5000|2.2     |-0003.14|+1.0";
  eq (sp "%e|%E|%.2e" 12345.678 0.000123 1.0) "1.234568e+04|1.230000E-04|1.00e+00";
  eq (sp "%g|%g|%g|%G|%.10g|%.17g" 0.0001 1e20 123.0 1e-10 0.1 0.1)
    "0.0001|1e+20|123|1E-10|0.1|0.10000000000000001";
  eq (sp "%F|%F|%F|%F|%F" 1.0 0.1 1e20 nan neg_infinity) "1.|0.1|1e+20|nan|neg_infinity";
  eq (sp "%f|%f" nan infinity) "nan|inf";
  eq (sp "%s|%5s|%-5s|%.1s|%.3s|" "ab" "ab" "ab" "ab" "ab") "ab|   ab|ab   |ab| ab|";
  eq (sp "%S|%C|%c" "a\"b\n" '\'' 'z') "\"a\\\"b\\n\"|'\\''|z";
  eq (sp "%b|%B|%6b|" true false true) "true|false|  true|";
  eq (sp "100%%@%@") "100%@@";
  eq (sp "%*d|%-*d|%.*f" 4 1 4 2 1 3.14159) "   1|2   |3.1";
  eq (sp "%a%t" (fun () x -> string_of_int (x + 1)) 1 (fun () -> "!")) "2!";
  let f = sp "%s=%d" in
  eq (f "x" 1 ^ f "y" 2) "x=1y=2";
  eq (Printf.ksprintf String.uppercase_ascii "%s-%d" "ab" 3) "AB-3";
  let b = Buffer.create 8 in
  Printf.bprintf b "%d%a" 1 (fun b s -> Buffer.add_string b s) "z";
  eq (Buffer.contents b) "1z";
  eq (string_of_format ("%d" ^^ "%s")) "%d%,%s";
  eq (sp ("%d" ^^ "-%s") 1 "a") "1-a";
  (match sp "%_d" with
   | _ -> assert false
   | exception Invalid_argument _ -> ());
  print_endline "OK"
