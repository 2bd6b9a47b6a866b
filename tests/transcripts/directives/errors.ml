(* Directive names and arguments: OCaml's messages. *)
#quitt;;
#qui;;
#nosuchdirective;;
#use List;;
#use 3;;
#load true;;
#cd "/nonexistent-directory";;
#use "/nonexistent-file.ml";;
#print_length 99999999999999999999;;
#print_length 0x10;;
1;;
