/** Keys whose value names an image: `image`, `trialImage`, `base_image`. */
export const imageKey = /^(?:image|[a-z][A-Za-z0-9]*Image|[a-z][a-z0-9_]*_image)$/;
/** Keys whose block scalar is a shell script. */
export const scriptKey =
  /^(?:run|script|scripts|command|cmd|args|entrypoint|before_script|after_script|commands)$/;
