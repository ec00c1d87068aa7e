// What makes a namespace, ServiceAccount or Role name one Kubernetes accepts (RFC 1123 label).

/** undefined when `value` is a valid name, else why not. */
export function k8sNameProblem(value: string): string | undefined {
  if (value.length > 63) return 'at most 63 characters';
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value))
    return 'lower-case letters, digits and -, starting and ending with a letter or digit';
  return undefined;
}
